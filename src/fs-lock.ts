// A lock file naming its holder (pid and process start time): taken with O_EXCL, taken over when its process is gone.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import fsSync from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from './errors.ts'

interface Holder {
  pid: number
  start: string
}

/** The process's start time from /proc (Linux); a pid reused by another process has another start time. */
function startTime(pid: number): string {
  try {
    const stat = fsSync.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
  } catch {
    return ''
  }
}

function alive(h: Holder): boolean {
  if (!Number.isInteger(h.pid) || h.pid <= 0) return false
  try {
    process.kill(h.pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const now = startTime(h.pid)
  return !h.start || !now || now === h.start
}

const parse = (text: string): Holder | undefined => {
  const [pid, start = ''] = text.trim().split(/\s+/)
  return pid && /^\d+$/.test(pid) ? { pid: Number(pid), start } : undefined
}

export interface LockOptions {
  /** how long to wait for a live holder before giving up (ms) */
  waitMs?: number
  pollMs?: number
  /** told once, when the lock is held by another live process and we start waiting */
  onWait?: (pid: number) => void
  /** what the lock guards, for the message: "another <what> (pid N) is running" */
  what?: string
}

/** Takes the lock at `file`, waiting up to `waitMs` for a live holder; returns release(). */
export async function acquireLock(file: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const { waitMs = 600_000, pollMs = 100, what = 'process' } = opts
  await fs.mkdir(path.dirname(file), { recursive: true })
  const me = `${process.pid} ${startTime(process.pid)}\n`
  const deadline = Date.now() + waitMs
  let told = false
  for (;;) {
    try {
      // written whole under a temp name, then linked into place: the lock file never exists half-written
      const tmp = `${file}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`
      await fs.writeFile(tmp, me, { mode: 0o600 })
      try {
        await fs.link(tmp, file)
      } finally {
        await fs.rm(tmp, { force: true })
      }
      let released = false
      return async () => {
        if (released) return
        released = true
        await fs.rm(file, { force: true })
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const text = await fs.readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue // released meanwhile
    const holder = parse(text)
    if (!holder || !alive(holder)) {
      // Stale: move it aside first; if what we moved is not what we judged (someone took over meanwhile), put it back.
      const aside = `${file}.stale-${process.pid}`
      if (
        await fs.rename(file, aside).then(
          () => true,
          () => false,
        )
      ) {
        if ((await fs.readFile(aside, 'utf8').catch(() => '')) !== text) await fs.link(aside, file).catch(() => {})
        await fs.rm(aside, { force: true })
      }
      continue
    }
    if (Date.now() >= deadline) {
      throw new PeerFeedError(
        'LOCKED',
        `another ${what} (pid ${holder.pid}) is running in this feed (lock ${file}); wait for it to finish and try again.`,
      )
    }
    if (!told) {
      told = true
      opts.onWait?.(holder.pid)
    }
    await new Promise((r) => setTimeout(r, pollMs))
  }
}
