// `peerfeed sync [NAME…]`: every followed friend (or the named ones) in parallel, a few at a time, each with a short
// deadline per route, so one unreachable friend never holds up the others. Events as each friend starts and ends.
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { readFollows, resolveFollow } from './follows.ts'
import { stopped } from './reach.ts'
import { syncFriend, type FriendReport, type SyncOptions } from './sync-friend.ts'
import { readSyncStatus, statusOf, writeSyncStatus, type FriendSyncStatus } from './sync-status.ts'
import { urlRoutes, type Fetch, type RouteResolver } from './transport.ts'

/** What happens to each friend, in order: started, route (each one tried), then finished or failed. */
export type SyncEvent =
  | { type: 'started'; name: string }
  | { type: 'route'; name: string; via: string; label?: string; looking?: true }
  | { type: 'finished'; name: string; report: FriendReport; status: FriendSyncStatus }
  | { type: 'failed'; name: string; report: FriendReport; status: FriendSyncStatus; error: { code: string; message: string } }

export interface SyncAllOptions extends Omit<SyncOptions, 'me' | 'routes' | 'onRoute'> {
  names?: string[]
  passphrase?: string
  fetch?: Fetch
  /** defaults to the followed URL; discovery chains LAN and DHT resolvers after it */
  routes?: RouteResolver
  /** friends synced at the same time (default 32: most of a sync is waiting on the network) */
  concurrency?: number
  onEvent?: (e: SyncEvent) => void
  /** keep each friend's last status in .peerfeed/sync-status/ (default true) */
  recordStatus?: boolean
}

export interface SyncSummary {
  /** one report per friend, in the order the names were given (or followed) */
  friends: FriendReport[]
  new: number
  updated: number
  deleted: number
  rejected: number
  failed: number
}

/** How long a route may take to give its first answer before sync moves on (to the next route or friend). */
export const REACH_MS = 5000
export const SYNC_CONCURRENCY = 32

/** REACH_MS, or PEERFEED_REACH_MS from the environment (a slow link, or a test suite on a busy machine). */
const reachDefault = () => {
  const v = Number(process.env.PEERFEED_REACH_MS)
  return Number.isFinite(v) && v > 0 ? v : REACH_MS
}

const failure = (name: string, code: string, message: string): FriendReport => ({
  name,
  new: 0,
  updated: 0,
  deleted: 0,
  unchanged: 0,
  rejected: [],
  notes: [],
  error: { code, message },
})

export async function syncAll(layout: Layout, opts: SyncAllOptions = {}): Promise<SyncSummary> {
  const { loadSelf } = await import('../identity/index.ts')
  const self = await loadSelf(layout, { passphrase: opts.passphrase, requireSecret: true })
  const follows = await readFollows(layout)
  const names = opts.names?.length ? [...new Set(opts.names)] : follows.map((f) => f.name)
  if (names.length === 0)
    throw new PeerFeedError(
      'NO_FOLLOWS',
      'you follow nobody yet; start with `peerfeed follow NAME [URL]` (a friend in keys/ needs no URL).',
    )
  const routes = opts.routes ?? urlRoutes(opts.fetch)
  const emit = (e: SyncEvent) => {
    try {
      opts.onEvent?.(e)
    } catch {
      // a listener's bug must not stop the sync of other friends
    }
  }

  async function one(name: string): Promise<FriendReport> {
    const started = performance.now()
    emit({ type: 'started', name })
    let report: FriendReport
    const f = follows.find((x) => x.name === name)
    if (opts.signal?.aborted) report = failure(name, 'STOPPED', stopped(opts.signal).message)
    else if (!f) report = failure(name, 'NOT_FOLLOWED', `you do not follow "${name}"; run \`peerfeed follow ${name} [URL]\` first.`)
    else {
      try {
        const followed = await resolveFollow(layout, f)
        report = await syncFriend(layout, followed, {
          ...opts,
          me: self.secretKey!,
          routes,
          reachMs: opts.reachMs ?? reachDefault(),
          onRoute: (n, r) => emit({ type: 'route', name: n, ...r }),
        })
      } catch (e) {
        report = failure(name, (e as PeerFeedError).code ?? 'UNEXPECTED', (e as Error).message)
      }
    }
    const previous = await readSyncStatus(layout, name)
    const status = statusOf(report, { at: new Date((opts.now ?? Date.now)()), ms: performance.now() - started, previous })
    if (opts.recordStatus !== false && f) await writeSyncStatus(layout, status).catch(() => {})
    emit(report.error ? { type: 'failed', name, report, status, error: report.error } : { type: 'finished', name, report, status })
    return report
  }

  const friends: FriendReport[] = new Array(names.length)
  let next = 0
  const worker = async () => {
    while (next < names.length) {
      const i = next++
      friends[i] = await one(names[i])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? SYNC_CONCURRENCY, names.length)) }, worker))
  const sum = (k: 'new' | 'updated' | 'deleted') => friends.reduce((n, r) => n + r[k], 0)
  return {
    friends,
    new: sum('new'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    rejected: friends.reduce((n, r) => n + r.rejected.length, 0),
    failed: friends.filter((r) => r.error).length,
  }
}
