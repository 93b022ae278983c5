// Who a post is for: petnames and group names → key fingerprints, minus blocked keys. Pure over loaded data.
import fs from 'node:fs/promises'
import type { PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { loadBlocked } from './blocked.ts'
import { loadGroups } from './groups.ts'
import { nameProblem } from './names.ts'
import { listPeers } from './peers.ts'

/** Everything audience resolution needs, loaded once per build. */
export interface IdentityData {
  /** petname → key */
  peers: ReadonlyMap<string, PublicKey>
  /** group name → member petnames */
  groups: ReadonlyMap<string, readonly string[]>
  /** blocked fingerprints */
  blocked: ReadonlySet<string>
}

export async function loadIdentityData(l: Layout, date = new Date()): Promise<IdentityData> {
  const [peers, groups, blocked] = await Promise.all([listPeers(l, date), loadGroups(l), loadBlocked(l)])
  return { peers: new Map(peers.map((p) => [p.name, p.key])), groups, blocked }
}

/** Names a post's `to` may use besides "public": petnames and group names, from loaded data. */
export function audienceNamesOf(data: Pick<IdentityData, 'peers' | 'groups'>): Set<string> {
  return new Set([...data.peers.keys(), ...data.groups.keys()])
}

/**
 * The same from the file names in keys/ and groups/ alone, so one broken key file does not make every
 * post that names it "unknown" too (check reports the file itself).
 */
export async function audienceNames(l: Layout): Promise<Set<string>> {
  const names = async (dir: string, ext: string) =>
    (await fs.readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith(ext) && !f.startsWith('.'))
      .map((f) => f.slice(0, -ext.length))
      .filter((n) => !nameProblem(n))
  return new Set([...(await names(l.keys, '.asc')), ...(await names(l.groups, '.yaml'))])
}

/**
 * The sorted fingerprints of the named friends and of the named groups' members, minus blocked keys.
 * "public" is the caller's business and is ignored here; any other unknown name is an error.
 * Group members without a key are skipped (`peerfeed check` reports them).
 */
export function resolveAudience(data: IdentityData, names: readonly string[]): string[] {
  const out = new Set<string>()
  const unknown: string[] = []
  for (const n of names) {
    if (n === 'public') continue
    const key = data.peers.get(n)
    const members = data.groups.get(n)
    if (key) out.add(key.fingerprint)
    else if (members) {
      for (const m of members) {
        const k = data.peers.get(m)
        if (k) out.add(k.fingerprint)
      }
    } else unknown.push(n)
  }
  if (unknown.length) {
    throw new PeerFeedError(
      'UNKNOWN_AUDIENCE',
      `unknown audience ${unknown.map((n) => `"${n}"`).join(', ')}: not a friend's petname nor a group; see \`peerfeed peer list\` and \`peerfeed group list\`.`,
    )
  }
  for (const fp of data.blocked) out.delete(fp)
  return [...out].sort()
}

/** The keys for a resolved audience, in fingerprint order (to encrypt a page to). */
export function audienceKeys(data: IdentityData, fingerprints: readonly string[]): PublicKey[] {
  const byFp = new Map([...data.peers.values()].map((k) => [k.fingerprint, k]))
  return fingerprints.map((fp) => byFp.get(fp)).filter((k): k is PublicKey => k !== undefined)
}
