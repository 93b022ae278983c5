// Which notifications I have seen, per device: .peerfeed/notifications.json, a list of the friends' post ids read.
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'

export interface NotificationState {
  read: ReadonlySet<string>
}

const stateFile = (l: Layout) => path.join(l.state, 'notifications.json')

/** Ids read so far; a missing or unreadable file means nothing read yet. */
export async function readNotificationState(l: Layout): Promise<NotificationState> {
  try {
    const js = JSON.parse(await fs.readFile(stateFile(l), 'utf8')) as { v?: number; read?: unknown }
    if (js?.v === 1 && Array.isArray(js.read)) return { read: new Set(js.read.filter((x): x is string => typeof x === 'string')) }
  } catch {
    // start with nothing read
  }
  return { read: new Set() }
}

// One process at a time rewrites the file: two quick "mark read" calls must not lose each other's ids.
let queue: Promise<unknown> = Promise.resolve()

/**
 * Marks ids read. `current`, when given, is every notification id that still exists: ids no longer among
 * them (deleted posts, forgotten friends) are dropped so the file does not grow forever.
 */
export function markNotificationsRead(l: Layout, ids: Iterable<string>, { current }: { current?: Iterable<string> } = {}): Promise<number> {
  const run = queue.then(async () => {
    const read = new Set((await readNotificationState(l)).read)
    const before = read.size
    for (const id of ids) if (typeof id === 'string' && id.length < 300) read.add(id)
    const added = read.size - before
    if (current) {
      const keep = new Set(current)
      for (const id of read) if (!keep.has(id)) read.delete(id)
    }
    await writeFileAtomic(stateFile(l), `${JSON.stringify({ v: 1, read: [...read].sort() })}\n`)
    return added
  })
  queue = run.catch(() => {})
  return run
}
