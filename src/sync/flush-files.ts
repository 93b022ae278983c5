// Making written files durable: one flush of the whole file system for a big batch where Linux offers it (syncfs,
// through `sync -f`), else fdatasync file by file. The file system flush writes each inode table block, folder block
// and the disk cache once for the batch; fdatasync of a new file writes them once per file (on ext4 without a journal
// it also flushes the parent folder and the disk's cache each time).
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'

/**
 * How a batch is flushed: 'auto' flushes the file system when that is cheaper, 'files' always goes file by file,
 * 'fs' flushes the file system whenever it can (tests).
 */
export type FlushMode = 'auto' | 'files' | 'fs'

/** Fewer files than this are flushed one by one (a process start and the rest of the file system cost more). */
export const FS_FLUSH_MIN_FILES = 64

/**
 * Data other programs have not written yet that a file system flush would also wait for, allowed per file of ours.
 * Here a file's fdatasync costs ~0.1 ms and the disk writes ~500 MB/s (~50 KB in 0.1 ms); the flush is allowed a
 * little more, as it costs this process no CPU (the kernel's flusher threads write). The allowance adds up over a
 * sync's batches (see InboxWriter): once one flush has written the others' backlog, the next batches find little.
 * On slower disks both costs scale alike.
 */
export const FS_FLUSH_OTHER_BYTES_PER_FILE = 64 << 10

const SYNC_BIN = ['/usr/bin/sync', '/bin/sync'].find((p) => fs.existsSync(p))

/** syncfs(2) reports writeback errors since Linux 5.8; before that it said nothing, so it is not used there. */
export function kernelReportsFlushErrors(release = os.release()): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release)
  return !!m && (Number(m[1]) > 5 || (Number(m[1]) === 5 && Number(m[2]) >= 8))
}

/** Whether this system can flush a whole file system from here (Linux ≥ 5.8 with `sync -f`). */
export const fileSystemFlushOffered = () => process.platform === 'linux' && !!SYNC_BIN && kernelReportsFlushErrors()

/** Dirty and writeback bytes in the whole system (/proc/meminfo), or undefined when unknown. */
export function unwrittenBytes(meminfo = '/proc/meminfo'): number | undefined {
  try {
    const text = fs.readFileSync(meminfo, 'utf8')
    let kb = 0
    for (const key of ['Dirty', 'Writeback']) {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)
      if (!m) return undefined
      kb += Number(m[1])
    }
    return kb * 1024
  } catch {
    return undefined
  }
}

/**
 * Flushes the file systems holding `dirs` in one go, unless other programs have more than `allowance` bytes unwritten
 * (undefined: no limit) or the batch is small. Returns how many bytes of other programs' data the flush waited for
 * (0 or more), or undefined when the caller must flush file by file (not offered here, not worth it, or it failed:
 * fdatasync then reports each file's own error).
 */
export async function flushFileSystems(
  dirs: Iterable<string>,
  batch: { files: number; bytes: number; allowance?: number },
): Promise<number | undefined> {
  const bin = SYNC_BIN
  if (!bin || !fileSystemFlushOffered()) return undefined
  let others = 0
  if (batch.allowance !== undefined) {
    if (batch.files < FS_FLUSH_MIN_FILES) return undefined
    const unwritten = unwrittenBytes()
    if (unwritten === undefined) return undefined
    // our own files count in the system's dirty pages too: at least one page each
    others = Math.max(0, unwritten - batch.bytes - batch.files * 4096)
    if (others > batch.allowance) return undefined
  }
  // one folder per file system is enough
  const seen = new Set<number>()
  const args: string[] = []
  for (const d of dirs) {
    try {
      const dev = fs.statSync(d).dev
      if (!seen.has(dev)) {
        seen.add(dev)
        args.push(d)
      }
    } catch {
      return undefined
    }
  }
  if (!args.length) return undefined
  return new Promise((resolve) => execFile(bin, ['-f', '--', ...args], { windowsHide: true }, (e) => resolve(e ? undefined : others)))
}

/** Opens, flushes and closes a file; out of descriptors, it waits for the other flushes to close theirs. */
export async function flushFile(file: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      return await flushOnce(file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EMFILE' || tries >= 100) throw e
      await new Promise((r) => setTimeout(r, 5))
    }
  }
}

function flushOnce(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(file, 'r', (e, fd) => {
      if (e) return reject(e)
      fs.fdatasync(fd, (err) => fs.close(fd, () => (err ? reject(err) : resolve())))
    })
  })
}

/** fdatasync, then close, whatever the flush says (its error is the caller's) */
export function flushFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fdatasync(fd, (err) => fs.close(fd, () => (err ? reject(err) : resolve())))
  })
}

export function fsyncDir(dir: string): Promise<void> {
  return new Promise((resolve) => {
    fs.open(dir, 'r', (e, fd) => {
      if (e) return resolve()
      // some file systems refuse fsync on a folder; the renames are still atomic there
      fs.fsync(fd, () => fs.close(fd, () => resolve()))
    })
  })
}
