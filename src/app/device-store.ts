// Paired devices survive a restart of the app: .peerfeed/app-devices.json (mode 0600, this computer only) keeps each
// device's name, when it was paired and last used, and the SHA-256 of its session id — never the id itself, so the
// file alone lets nobody in.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'

export interface StoredDevice {
  /** sha256 of the session id, base64url */
  hash: string
  label: string
  created: number
  lastUsed?: number
}

export const sessionHash = (sessionId: string) => crypto.createHash('sha256').update(sessionId).digest('base64url')

/** How often a device's "last used" reaches the disk (it is exact in memory). */
const TOUCH_EVERY_MS = 60_000

export class DeviceStore {
  readonly file: string
  #devices = new Map<string, StoredDevice>()
  #written = new Map<string, number>()
  #queue: Promise<unknown> = Promise.resolve()

  constructor(l: Layout) {
    this.file = path.join(l.state, 'app-devices.json')
    try {
      const js = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { v?: number; devices?: StoredDevice[] }
      for (const d of js.v === 1 && Array.isArray(js.devices) ? js.devices : []) {
        if (typeof d?.hash === 'string' && typeof d.label === 'string' && typeof d.created === 'number') this.#devices.set(d.hash, d)
      }
    } catch {
      // none paired yet (or an unreadable file: pair again)
    }
  }

  get(hash: string): StoredDevice | undefined {
    return this.#devices.get(hash)
  }

  list(): StoredDevice[] {
    return [...this.#devices.values()].sort((a, b) => a.created - b.created)
  }

  add(d: StoredDevice): Promise<void> {
    this.#devices.set(d.hash, d)
    return this.#save()
  }

  remove(hash: string): Promise<void> {
    // already gone: still wait for the write that removed it
    if (!this.#devices.delete(hash)) return this.#queue.then(() => {})
    return this.#save()
  }

  touch(hash: string, at: number): void {
    const d = this.#devices.get(hash)
    if (!d) return
    d.lastUsed = at
    if (at - (this.#written.get(hash) ?? 0) < TOUCH_EVERY_MS) return
    this.#written.set(hash, at)
    void this.#save()
  }

  /** Waits for pending writes (tests, shutdown). */
  flush(): Promise<unknown> {
    return this.#queue
  }

  #save(): Promise<void> {
    const run = this.#queue.then(() =>
      writeFileAtomic(this.file, `${JSON.stringify({ v: 1, devices: this.list() }, null, 1)}\n`, { mode: 0o600 }),
    )
    this.#queue = run.catch(() => {})
    return run
  }
}
