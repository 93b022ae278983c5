// Everyone I know, as the Friends view shows them: name, fingerprint, groups, followed or not, blocked, last sync.
import { formatFingerprint } from '../identity/names.ts'
import type { Layout } from '../paths.ts'
import { readFollows } from './follows.ts'
import { readAllSyncStatus, type FriendSyncStatus } from './sync-status.ts'

export interface FriendOverview {
  /** petname */
  name: string
  fingerprint?: string
  /** `ABCD 1234 …` */
  formatted?: string
  /** from the key's user ID */
  keyName?: string
  email?: string
  /** false for a public follow: someone followed by URL whose key is not in keys/ */
  friend: boolean
  groups: string[]
  following: boolean
  url?: string
  blocked: boolean
  /** why the key file is unusable (`peerfeed check` says more) */
  problem?: string
  lastSync?: FriendSyncStatus
}

/** Friends (keys/) and public follows, by name. Reads files only. */
export async function listFriends(l: Layout): Promise<FriendOverview[]> {
  const { scanPeers, scanGroups, loadBlocked } = await import('../identity/index.ts')
  const [peers, groups, blocked, follows, status] = await Promise.all([
    scanPeers(l),
    scanGroups(l),
    loadBlocked(l),
    readFollows(l).catch(() => []),
    readAllSyncStatus(l),
  ])
  const followed = new Map(follows.map((f) => [f.name, f]))
  const groupsOf = (name: string) => groups.filter((g) => g.members.some((m) => m.name === name)).map((g) => g.name)
  const out: FriendOverview[] = peers.map((p) => {
    const f = followed.get(p.name)
    const fp = p.key?.fingerprint
    return {
      name: p.name,
      ...(fp ? { fingerprint: fp, formatted: formatFingerprint(fp) } : {}),
      ...(p.key?.name ? { keyName: p.key.name } : {}),
      ...(p.key?.email ? { email: p.key.email } : {}),
      friend: true,
      groups: groupsOf(p.name),
      following: Boolean(f),
      ...(f?.url ? { url: f.url } : {}),
      blocked: fp ? blocked.has(fp) : false,
      ...(p.error ? { problem: p.error.message } : {}),
      ...(status.get(p.name) ? { lastSync: status.get(p.name) } : {}),
    }
  })
  for (const f of follows) {
    if (peers.some((p) => p.name === f.name)) continue
    out.push({
      name: f.name,
      ...(f.fingerprint ? { fingerprint: f.fingerprint, formatted: formatFingerprint(f.fingerprint) } : {}),
      friend: false,
      groups: [],
      following: true,
      ...(f.url ? { url: f.url } : {}),
      blocked: f.fingerprint ? blocked.has(f.fingerprint) : false,
      ...(status.get(f.name) ? { lastSync: status.get(f.name) } : {}),
    })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
