// The folder a build writes into, recording every path it writes or removes (the next build replays them).
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'

export class Output {
  readonly changed = new Set<string>()
  constructor(readonly dir: string) {}

  abs(rel: string): string {
    return path.join(this.dir, rel)
  }

  /** Writes by temp file + rename: a file the previous build shares by hard link is never written through. */
  async write(rel: string, data: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.abs(rel), data, { durable: false })
    this.changed.add(rel)
  }

  async remove(rel: string): Promise<void> {
    await fs.rm(this.abs(rel), { force: true })
    this.changed.add(rel)
  }

  async read(rel: string): Promise<string | undefined> {
    return fs.readFile(this.abs(rel), 'utf8').catch(() => undefined)
  }

  // a stat on this thread: a build asks for a few hundred pages, and a trip through the thread pool cost each of
  // them ~0.1 ms more (several times that on a loaded machine)
  async exists(rel: string): Promise<boolean> {
    return existsSync(this.abs(rel))
  }

  /** Paths written by someone else (the site renderer), relative to this folder. */
  note(paths: Iterable<string>): void {
    for (const p of paths) this.changed.add(p)
  }
}
