// File writes for the inbox, one batch at a time: readers and interrupted syncs never see half a file, and a batch is
// on disk before the cursor that covers it is saved. Posts for a month folder the inbox does not have yet (all of
// them on a first sync) are written into a staging folder that is renamed into place whole; others go to a temp
// file renamed over the target. A batch's data is flushed in one go before any of it is renamed (flush-files.ts: one
// flush of the file system for a big batch, else a parallel round of fdatasync), and the touched folders are flushed
// after the renames.
import fs from 'node:fs'
import path from 'node:path'
import { FS_FLUSH_OTHER_BYTES_PER_FILE, type FlushMode, flushFd, flushFile, flushFileSystems, fsyncDir } from './flush-files.ts'

let serial = 0

/** a written file: where it is now, where it goes ('' when its staging folder moves as a whole), its open fd or -1 */
interface Pending {
  tmp: string
  file: string
  fd: number
  /** bytes written */
  size: number
}

/**
 * Files kept open from their write to their flush (no second open) — a batch's worth; past this many, or when the
 * process runs out of file descriptors, they are closed and opened again for their flush.
 */
const MAX_OPEN = 4096

export class InboxWriter {
  readonly #dirs = new Set<string>()
  /** target file → its bytes, for reads within the batch */
  readonly #data = new Map<string, string | Uint8Array>()
  readonly #pending = new Map<string, Pending>()
  readonly #removals = new Set<string>()
  /** folders in which this batch made a folder */
  readonly #made = new Set<string>()
  /** month folder that does not exist yet → its staging folder */
  readonly #staged = new Map<string, string>()
  readonly #staging: string | undefined
  #open = 0
  #max = MAX_OPEN
  readonly #inflight = new Map<string, Promise<void>>()

  readonly #flush: FlushMode
  /** other programs' unwritten bytes a file system flush may wait for (grows with each batch, see commit) */
  #allowance = 0
  /** how many batches were flushed each way */
  readonly flushes = { fs: 0, files: 0 }

  /**
   * `staging`: a folder on the same file system for new month folders (none: every file goes by temp + rename);
   * `flush`: how each batch's data is made durable (see flush-files.ts).
   */
  constructor(opts: { staging?: string; flush?: FlushMode } = {}) {
    this.#staging = opts.staging
    this.#flush = opts.flush ?? 'auto'
  }

  /**
   * Writes the file's temp (or staged) copy. The open and the write are synchronous: creating files in one folder
   * does not go faster from several threads (they queue on the folder's lock), and each call through libuv's
   * threads costs the main thread more than the write itself (measured in docs/sync.md).
   */
  async write(file: string, data: string | Uint8Array): Promise<void> {
    // two writes of one file go one after the other (a staged copy has one name)
    const before = this.#inflight.get(file)
    const p = (before ?? Promise.resolve()).catch(() => {}).then(() => this.#write(file, data))
    this.#inflight.set(file, p)
    try {
      await p
    } finally {
      if (this.#inflight.get(file) === p) this.#inflight.delete(file)
    }
  }

  async #write(file: string, data: string | Uint8Array): Promise<void> {
    const dir = path.dirname(file)
    let tmp: string
    const staged = this.#stagedDir(dir)
    if (staged) tmp = path.join(staged, path.basename(file))
    else {
      if (!this.#dirs.has(dir)) {
        this.#mkdirs(dir)
        this.#dirs.add(dir)
      }
      // pid + counter is unique among running syncs; 'wx' refuses a leftover of a crashed one (swept at start).
      tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${++serial}.tmp`)
    }
    const prev = this.#pending.get(file)
    if (prev) this.#close(prev)
    if (prev?.file) fs.rmSync(prev.tmp, { force: true })
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    const entry: Pending = { tmp, file: staged ? '' : file, fd: -1, size: bytes.length }
    this.#pending.set(file, entry)
    this.#removals.delete(file)
    this.#data.set(file, data)
    let fd = -1
    try {
      fd = await this.#openTemp(tmp, staged ? 'w' : 'wx')
      writeAll(fd, bytes)
    } catch (e) {
      if (fd >= 0) fs.closeSync(fd)
      fs.rmSync(tmp, { force: true })
      if (this.#pending.get(file) === entry) {
        this.#pending.delete(file)
        this.#data.delete(file)
      }
      throw e
    }
    // written again or removed meanwhile: this copy is not the one to keep
    if (this.#pending.get(file) !== entry) {
      fs.closeSync(fd)
      if (entry.file || this.#pending.get(file)?.tmp !== tmp) fs.rmSync(tmp, { force: true })
      return
    }
    if (this.#open >= this.#max) fs.closeSync(fd)
    else {
      entry.fd = fd
      this.#open++
    }
  }

  /** Removed when the batch is committed, after the new files are in place. */
  remove(file: string): void {
    const p = this.#pending.get(file)
    if (p) {
      this.#close(p)
      fs.rmSync(p.tmp, { force: true })
      this.#pending.delete(file)
    }
    this.#data.delete(file)
    this.#removals.add(file)
  }

  /** The file's bytes (as written in this batch, or on disk), or undefined when it does not exist. */
  read(file: string): Buffer | undefined {
    const d = this.#data.get(file)
    if (d !== undefined) return Buffer.from(d)
    if (this.#removals.has(file)) return undefined
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined
  }

  /** Flushes the batch's data, puts every file in place, flushes the folders. Call before saving the cursor. */
  async commit(): Promise<void> {
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    try {
      const dirs = new Set(pending.map((p) => path.dirname(p.tmp)))
      const bytes = pending.reduce((n, p) => n + p.size, 0)
      // what file-by-file flushes of this batch would cost, plus what the batch before left unspent, up to two batches'
      const own = pending.length * FS_FLUSH_OTHER_BYTES_PER_FILE
      this.#allowance = Math.min(this.#allowance + own, 2 * own)
      const allowance = this.#flush === 'fs' ? undefined : this.#allowance
      const waited = this.#flush === 'files' ? undefined : await flushFileSystems(dirs, { files: pending.length, bytes, allowance })
      if (waited !== undefined) {
        this.#allowance -= waited
        this.flushes.fs++
      } else if (pending.length) {
        await this.#flushEach(pending)
        this.flushes.files++
      }
    } finally {
      for (const p of pending) this.#close(p)
    }
    const touched = new Set<string>()
    for (const p of pending) {
      if (!p.file) continue
      fs.renameSync(p.tmp, p.file)
      touched.add(path.dirname(p.file))
    }
    for (const [dir, staged] of this.#staged) {
      this.#mkdirs(path.dirname(dir))
      try {
        fs.renameSync(staged, dir)
      } catch (e) {
        // another file system (EXDEV), or the folder appeared meanwhile: file by file, each by temp + rename
        fs.mkdirSync(dir, { recursive: true })
        for (const name of fs.readdirSync(staged)) {
          const tmp = path.join(dir, `.${name}.${process.pid}-${++serial}.tmp`)
          fs.copyFileSync(path.join(staged, name), tmp)
          await flushFile(tmp)
          fs.renameSync(tmp, path.join(dir, name))
        }
        fs.rmSync(staged, { recursive: true, force: true })
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV' && !fs.existsSync(dir)) throw e
      }
      touched.add(path.dirname(dir))
      touched.add(dir)
      this.#dirs.add(dir)
    }
    this.#staged.clear()
    for (const file of this.#removals) {
      fs.rmSync(file, { force: true })
      touched.add(path.dirname(file))
    }
    this.#removals.clear()
    this.#data.clear()
    // and the folders that gained a folder made for this batch (inbox/NAME/, a new year)
    for (const d of this.#made) touched.add(d)
    this.#made.clear()
    await Promise.all([...touched].map((d) => fsyncDir(d)))
  }

  /** fdatasync of every file, many at once through libuv's threads */
  async #flushEach(pending: Pending[]): Promise<void> {
    let next = 0
    const flusher = async () => {
      while (next < pending.length) {
        const p = pending[next++]
        if (p.fd < 0) await flushFile(p.tmp)
        else {
          const fd = p.fd
          p.fd = -1
          this.#open--
          await flushFd(fd)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(32, pending.length) }, flusher))
  }

  /** Leaves nothing half-written behind when a batch fails before its commit. */
  abort(): void {
    for (const p of this.#pending.values()) {
      this.#close(p)
      if (p.file) fs.rmSync(p.tmp, { force: true })
    }
    this.#pending.clear()
    for (const staged of this.#staged.values()) fs.rmSync(staged, { recursive: true, force: true })
    this.#staged.clear()
    this.#removals.clear()
    this.#data.clear()
  }

  /** Opens a temp file; out of descriptors, the kept ones are closed (opened again at the flush) and it tries again. */
  async #openTemp(tmp: string, flags: string): Promise<number> {
    for (let tries = 0; ; tries++) {
      try {
        return fs.openSync(tmp, flags, 0o644)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EMFILE' || tries >= 100) throw e
        this.#max = Math.floor(this.#open / 2)
        for (const p of this.#pending.values()) this.#close(p)
        await new Promise((r) => setTimeout(r, 5))
      }
    }
  }

  /** mkdir -p, remembering the folders whose entries it changed (flushed at the commit) */
  #mkdirs(dir: string): void {
    const first = fs.mkdirSync(dir, { recursive: true })
    if (first === undefined) return
    for (let d = dir; ; d = path.dirname(d)) {
      this.#made.add(path.dirname(d))
      if (d === first || path.dirname(d) === d) break
    }
  }

  #close(p: Pending): void {
    if (p.fd < 0) return
    fs.closeSync(p.fd)
    p.fd = -1
    this.#open--
  }

  #stagedDir(dir: string): string | undefined {
    const known = this.#staged.get(dir)
    if (known || !this.#staging || this.#dirs.has(dir)) return known
    if (fs.existsSync(dir)) {
      this.#dirs.add(dir)
      return undefined
    }
    const staged = path.join(this.#staging, `${process.pid}-${++serial}`)
    fs.mkdirSync(staged, { recursive: true })
    this.#staged.set(dir, staged)
    return staged
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let at = 0
  while (at < data.length) at += fs.writeSync(fd, data, at, data.length - at)
}

export const sameBytes = (a: Buffer | undefined, b: string | Uint8Array) => a?.equals(typeof b === 'string' ? Buffer.from(b) : b) ?? false

/** Removes leftovers of interrupted writes (hidden *.tmp files) under a folder, and a staging folder. */
export async function sweepTemp(dir: string, staging?: string): Promise<void> {
  const all = await fs.promises.readdir(dir, { recursive: true }).catch(() => [] as string[])
  await Promise.all(all.filter((f) => /(^|\/)\.[^/]*\.tmp$/.test(f)).map((f) => fs.promises.rm(path.join(dir, f), { force: true })))
  if (staging) await fs.promises.rm(staging, { recursive: true, force: true })
}
