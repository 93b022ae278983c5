// File writes for the inbox: temp file + rename, so readers and interrupted syncs never see half a file. Synchronous
// on purpose: small files, one after another, are faster in the calling thread than through libuv's 4-thread pool,
// and no per-file fsync (10,000 of them take seconds); the cursor file written after them is fsynced (docs/sync.md).
import fs from 'node:fs'
import path from 'node:path'

let serial = 0

export class InboxWriter {
  readonly #dirs = new Set<string>()

  write(file: string, data: string | Uint8Array): void {
    const dir = path.dirname(file)
    if (!this.#dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true })
      this.#dirs.add(dir)
    }
    // pid + counter is unique among running syncs; 'wx' refuses a leftover of a crashed one (swept at start).
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${++serial}.tmp`)
    try {
      fs.writeFileSync(tmp, data, { flag: 'wx' })
      fs.renameSync(tmp, file)
    } catch (e) {
      fs.rmSync(tmp, { force: true })
      throw e
    }
  }

  remove(file: string): void {
    fs.rmSync(file, { force: true })
  }

  /** The file's bytes, or undefined when it does not exist. */
  read(file: string): Buffer | undefined {
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined
  }
}

export const sameBytes = (a: Buffer | undefined, b: string | Uint8Array) => a !== undefined && a.equals(typeof b === 'string' ? Buffer.from(b) : b)

/** Removes leftovers of interrupted writes (hidden *.tmp files) under a folder. */
export async function sweepTemp(dir: string): Promise<void> {
  const all = await fs.promises.readdir(dir, { recursive: true }).catch(() => [] as string[])
  await Promise.all(all.filter((f) => /(^|\/)\.[^/]*\.tmp$/.test(f)).map((f) => fs.promises.rm(path.join(dir, f), { force: true })))
}
