// Per-friend sync state in .peerfeed/sync/<name>.json: the cursors to ask with, and which version of each post we hold.
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import { friendHistoryFile } from '../identity/key-life.ts'
import type { Layout } from '../paths.ts'
import type { Pending } from './journal.ts'

/** What we hold of one post: its cursor, its file under inbox/<name>/, its attachments; or that it was deleted. */
export interface Held {
  c: string
  f?: string
  a?: string[]
  d?: true
  /** how a private post reached me: 'you' or the friend's group name; absent for a public post */
  to?: string
}

export interface SyncState {
  v: 1
  /** the friend's fingerprint when this state was written; a different key starts over */
  fingerprint: string
  /** cursor for private updates (API or friend index) */
  cursor: string | null
  /** cursor for public posts */
  publicCursor: string | null
  /** stem → what we hold */
  held: Record<string, Held>
  syncedAt?: string
  /** our page-name key on the friend's static host, from our box in p/boxes.json (keys without a shared X25519 secret) */
  nameKey?: string
  /** the files a batch may be writing right now; left over only by an interrupted sync (see journal.ts) */
  pending?: Pending[]
}

export const syncDir = (l: Layout) => path.join(l.state, 'sync')
export const stateFile = (l: Layout, name: string) => path.join(syncDir(l), `${name}.json`)
/** The files a batch may be writing (journal.ts), apart from the state: a small write per batch, not the whole state. */
export const pendingFile = (l: Layout, name: string) => path.join(syncDir(l), `${name}.pending.json`)
/** Where a sync writes new month folders of inbox/<name>/ before moving each into place whole. */
export const stagingDir = (l: Layout, name: string) => path.join(syncDir(l), 'staging', name)

export const emptyState = (fingerprint: string): SyncState => ({ v: 1, fingerprint, cursor: null, publicCursor: null, held: {} })

export async function readState(l: Layout, name: string, fingerprint: string): Promise<SyncState> {
  try {
    const s = JSON.parse(await fs.readFile(stateFile(l, name), 'utf8')) as SyncState
    // a state kept under one of the friend's earlier keys (keys/history/, written before keys/NAME.asc moves) is
    // theirs too: a sync stopped between taking a rotation and writing its state keeps its cursors
    const same = s.fingerprint === fingerprint || (typeof s.fingerprint === 'string' && (await isEarlierKey(l, name, s.fingerprint)))
    if (s.v === 1 && same && s.held && typeof s.held === 'object') {
      s.fingerprint = fingerprint
      const pending = await readPending(l, name)
      if (pending) s.pending = [...(s.pending ?? []), ...pending]
      return s
    }
  } catch {
    // missing or unreadable: start over (sync is idempotent)
  }
  return emptyState(fingerprint)
}

const isEarlierKey = (l: Layout, name: string, fingerprint: string) =>
  /^[0-9a-f]{40,64}$/.test(fingerprint) &&
  fs.access(friendHistoryFile(l, name, fingerprint)).then(
    () => true,
    () => false,
  )

/** Written only after the posts it describes are on disk. A state without `pending` ends the batch's journal. */
export async function writeState(l: Layout, name: string, s: SyncState): Promise<void> {
  await writeFileAtomic(stateFile(l, name), JSON.stringify(s))
  // after the state that holds the batch's files: a journal left by a crash in between only repeats a harmless repair
  if (!s.pending) await fs.rm(pendingFile(l, name), { force: true })
}

/** Records, durably, the files the next batch may write, before it writes any (journal.ts). */
export async function writePending(l: Layout, name: string, pending: Pending[]): Promise<void> {
  await writeFileAtomic(pendingFile(l, name), JSON.stringify(pending))
}

async function readPending(l: Layout, name: string): Promise<Pending[] | undefined> {
  try {
    const p = JSON.parse(await fs.readFile(pendingFile(l, name), 'utf8')) as unknown
    return Array.isArray(p) ? (p as Pending[]).filter((x) => x && typeof x.s === 'string' && typeof x.f === 'string') : undefined
  } catch {
    return undefined
  }
}

/** stem → how each private post of a friend reached me ('you' or their group's name); public posts are absent. */
export async function heldAudiences(l: Layout, name: string): Promise<Map<string, string>> {
  try {
    const s = JSON.parse(await fs.readFile(stateFile(l, name), 'utf8')) as SyncState
    return new Map(
      Object.entries(s.held ?? {})
        .filter(([, h]) => typeof h?.to === 'string' && !h.d)
        .map(([stem, h]) => [stem, h.to as string]),
    )
  } catch {
    return new Map()
  }
}
