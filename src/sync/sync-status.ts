// How the last sync of each friend went, per device: .peerfeed/sync-status/<name>.json (when, how many, why it failed).
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import type { FriendReport } from './sync-friend.ts'

export interface FriendSyncStatus {
  name: string
  /** when the last sync of this friend ended (ISO 8601, UTC) */
  at: string
  ok: boolean
  /** posts that arrived: new + updated (deletions counted apart) */
  posts: number
  new: number
  updated: number
  deleted: number
  rejected: number
  /** the route that answered, e.g. "url http://…" */
  via?: string
  /** the error in plain words when it failed */
  error?: string
  code?: string
  /** the last time a sync of this friend succeeded, kept across failures */
  lastOk?: string
  ms: number
}

export const statusDir = (l: Layout) => path.join(l.state, 'sync-status')
const statusFile = (l: Layout, name: string) => path.join(statusDir(l), `${name}.json`)

/** The status a finished report leaves behind, carrying `lastOk` over from the previous one. */
export function statusOf(r: FriendReport, { at, ms, previous }: { at: Date; ms: number; previous?: FriendSyncStatus }): FriendSyncStatus {
  const ok = !r.error
  return {
    name: r.name,
    at: at.toISOString(),
    ok,
    posts: r.new + r.updated,
    new: r.new,
    updated: r.updated,
    deleted: r.deleted,
    rejected: r.rejected.length,
    ...(r.via ? { via: r.via } : {}),
    ...(r.error ? { error: r.error.message, code: r.error.code } : {}),
    ...(ok ? { lastOk: at.toISOString() } : previous?.lastOk ? { lastOk: previous.lastOk } : {}),
    ms: Math.round(ms),
  }
}

export async function readSyncStatus(l: Layout, name: string): Promise<FriendSyncStatus | undefined> {
  try {
    const s = JSON.parse(await fs.readFile(statusFile(l, name), 'utf8')) as FriendSyncStatus
    return s && typeof s.at === 'string' && s.name === name ? s : undefined
  } catch {
    return undefined
  }
}

/** Every friend's last status, by name (friends never synced on this device are absent). */
export async function readAllSyncStatus(l: Layout): Promise<Map<string, FriendSyncStatus>> {
  const files = (await fs.readdir(statusDir(l)).catch(() => [] as string[])).filter((f) => f.endsWith('.json') && !f.startsWith('.'))
  const all = await Promise.all(files.map((f) => readSyncStatus(l, f.slice(0, -'.json'.length))))
  return new Map(all.filter((s): s is FriendSyncStatus => s !== undefined).map((s) => [s.name, s]))
}

export async function writeSyncStatus(l: Layout, s: FriendSyncStatus): Promise<void> {
  // informational: no fsync (a power cut loses at most the last status, never a post)
  await writeFileAtomic(statusFile(l, s.name), `${JSON.stringify(s, null, 1)}\n`, { durable: false })
}
