// One sync per friend at a time: an O_EXCL lock file holding the owner's pid; a lock whose process is gone is stale.
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

const alive = (pid: number) => {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock, waiting up to `waitMs` for another live holder; returns release(). */
export async function acquireLock(file: string, { waitMs = 60_000, pollMs = 100, pid = process.pid } = {}): Promise<() => Promise<void>> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const fh = await fs.open(file, 'wx', 0o600)
      await fh.writeFile(`${pid}\n`)
      await fh.close()
      let released = false
      return async () => {
        if (released) return
        released = true
        await fs.rm(file, { force: true })
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const holder = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim())
    if (holder && !alive(holder)) {
      // Stale: its process died. Rename first so two waiters cannot both delete a fresh lock.
      const aside = `${file}.stale-${pid}`
      await fs.rename(file, aside).then(
        () => fs.rm(aside, { force: true }),
        () => {},
      )
      continue
    }
    if (!holder) {
      // Being written right now, or empty after a crash between open and write: give it a moment, then treat as stale.
      const st = await fs.stat(file).catch(() => undefined)
      if (st && Date.now() - st.mtimeMs > 5_000) await fs.rm(file, { force: true })
    }
    if (Date.now() > deadline)
      throw new PeerFeedError(
        'LOCKED',
        `another sync (pid ${holder || '?'}) is running for this friend (${path.basename(file)}); try again when it is done.`,
      )
    await new Promise((r) => setTimeout(r, pollMs))
  }
}
