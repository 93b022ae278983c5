// `peerfeed sync [NAME…]`: every followed friend (or the named ones) in turn, one report each and a summary.
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { readFollows, resolveFollow } from './follows.ts'
import { syncFriend, type FriendReport, type SyncOptions } from './sync-friend.ts'
import { urlRoutes, type Fetch, type RouteResolver } from './transport.ts'

export interface SyncAllOptions extends Omit<SyncOptions, 'me' | 'routes'> {
  names?: string[]
  passphrase?: string
  fetch?: Fetch
  /** defaults to the followed URL; discovery chains LAN and DHT resolvers after it */
  routes?: RouteResolver
}

export interface SyncSummary {
  friends: FriendReport[]
  new: number
  updated: number
  deleted: number
  rejected: number
  failed: number
}

export async function syncAll(layout: Layout, opts: SyncAllOptions = {}): Promise<SyncSummary> {
  const { loadSelf } = await import('../identity/index.ts')
  const self = await loadSelf(layout, { passphrase: opts.passphrase, requireSecret: true })
  const follows = await readFollows(layout)
  const names = opts.names?.length ? opts.names : follows.map((f) => f.name)
  if (names.length === 0) throw new PeerFeedError('NO_FOLLOWS', 'you follow nobody yet; start with `peerfeed follow NAME [URL]` (a friend in keys/ needs no URL).')
  const friends: FriendReport[] = []
  for (const name of names) {
    const f = follows.find((x) => x.name === name)
    if (!f) {
      friends.push({ name, new: 0, updated: 0, deleted: 0, unchanged: 0, rejected: [], notes: [], error: { code: 'NOT_FOLLOWED', message: `you do not follow "${name}"; run \`peerfeed follow ${name} [URL]\` first.` } })
      continue
    }
    let followed
    try {
      followed = await resolveFollow(layout, f)
    } catch (e) {
      friends.push({ name, new: 0, updated: 0, deleted: 0, unchanged: 0, rejected: [], notes: [], error: { code: (e as PeerFeedError).code ?? 'UNEXPECTED', message: (e as Error).message } })
      continue
    }
    friends.push(await syncFriend(layout, followed, { ...opts, me: self.secretKey!, routes: opts.routes ?? urlRoutes(opts.fetch) }))
  }
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
