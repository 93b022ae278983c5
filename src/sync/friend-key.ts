// Before anything else, sync reads the friend's published key (key.asc) and rotation chain (key-rotation.json) on
// the same route: a revocation stops the sync (what was received stays), a rotation signed by the key we know moves
// us to the new key (the old one is kept in keys/history/), any other new key is refused with a plain message.
import path from 'node:path'
import { mergeKey, verifyRotation } from '../crypto/key-life.ts'
import { readPublicKey, type PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import { friendHistoryFile } from '../identity/key-life.ts'
import { rel, type Layout } from '../paths.ts'
import { ROTATION_PATH } from '../protocol/wire.ts'
import { publicKeyFile } from './follows.ts'
import type { Session } from './session.ts'
import { writeState, type SyncState } from './sync-state.ts'
import { request } from './transport.ts'

const KEY_BYTES = 1 << 20
/** Most rotations followed in one sync: a chain longer than this is someone's game, not a person's keys. */
const MAX_CHAIN = 20

const short = (fp: string) => fp.slice(-16).toUpperCase()

export function revokedError(name: string, key: PublicKey, file: string): PeerFeedError {
  return new PeerFeedError(
    'KEY_REVOKED',
    `${name}'s key ${short(key.fingerprint)} has been revoked by its owner: nothing new signed by it is trusted, and sync stops here for ${name}. ` +
      `What you received before stays in inbox/${name}/. If ${name} has a new key, check its fingerprint with them and add it: peerfeed peer add ${name} KEY (${file} holds the revoked one).`,
  )
}

/** Checks the friend's key on this route; returns a note for the user when the key changed, or nothing. */
export async function refreshFriendKey(layout: Layout, s: Session, state: SyncState): Promise<string | undefined> {
  const f = s.friend
  const file = f.friend ? path.join(layout.keys, `${f.name}.asc`) : publicKeyFile(layout, f.name)
  if (f.key.revoked) throw revokedError(f.name, f.key, rel(layout, file))
  const got = await request(s.route, 'key.asc', { maxBytes: KEY_BYTES, timeoutMs: s.limits.timeoutMs }).catch(() => undefined)
  if (got?.status !== 200) return undefined // an older feed, or a host without it: nothing to learn here
  const date = new Date(s.now())
  let published: PublicKey
  try {
    published = await readPublicKey(got.body.toString('utf8'), { source: `${f.name}'s key.asc`, date })
  } catch {
    return undefined // not a key: the pages' signatures still decide what is accepted
  }
  if (published.fingerprint === f.key.fingerprint) {
    const merged = await mergeKey({ stored: f.key, fetched: published, date })
    if (!merged.revoked) return undefined
    await writeFileAtomic(file, merged.armored)
    f.key = merged
    throw revokedError(f.name, merged, rel(layout, file))
  }
  // a different key: only a chain of rotations, each signed by the key before it, starting from ours, is accepted
  const refused = (why: string) =>
    new PeerFeedError(
      'KEY_ROTATION_REFUSED',
      `${f.name}'s feed now shows a different key (${short(published.fingerprint)}) and ${why}, so it was not accepted and nothing was fetched from ${f.name}. ` +
        `If ${f.name} really has a new key, check its fingerprint with them in person, then: peerfeed peer add ${f.name} KEY. Until then ${rel(layout, file)} stays as it was.`,
    )
  const chainGot = await request(s.route, ROTATION_PATH, { maxBytes: KEY_BYTES, timeoutMs: s.limits.timeoutMs }).catch(() => undefined)
  if (chainGot?.status !== 200) throw refused(`no signed hand-over from the key you know (${short(f.key.fingerprint)}) is published`)
  let chain: unknown
  try {
    chain = JSON.parse(chainGot.body.toString('utf8'))
  } catch {
    throw refused(`its ${ROTATION_PATH} is not JSON`)
  }
  if (!Array.isArray(chain)) throw refused(`its ${ROTATION_PATH} is not a list`)
  let current = f.key
  const passed: PublicKey[] = []
  for (let hops = 0; current.fingerprint !== published.fingerprint; hops++) {
    if (hops >= MAX_CHAIN) throw refused('its chain of rotations is too long')
    const from = current
    const step = chain.find((r) => typeof r?.statement === 'string' && r.statement.includes(`"old":"${from.fingerprint}"`))
    if (!step)
      throw refused(
        `no rotation in it starts from ${passed.length ? 'the key it rotated to' : 'the key you know'} (${short(from.fingerprint)})`,
      )
    try {
      current = await verifyRotation({ rotation: step, from, date })
    } catch (e) {
      throw refused((e as Error).message)
    }
    passed.push(from)
  }
  // keep every key we passed through, then take the published copy of the new one (it may carry newer signatures)
  for (const old of passed) await writeFileAtomic(friendHistoryFile(layout, f.name, old.fingerprint), old.armored)
  const next = await mergeKey({ stored: current, fetched: published, date })
  await writeFileAtomic(file, next.armored)
  const from = f.key.fingerprint
  f.key = next
  state.fingerprint = next.fingerprint
  await writeState(layout, f.name, state) // the cursors stay: the friend's ledger did not change with the key
  if (next.revoked) throw revokedError(f.name, next, rel(layout, file))
  return `${f.name} moved to a new key ${short(next.fingerprint)}, signed over by the key you knew (${short(from)}); ${rel(layout, file)} updated, the old key kept in keys/history/.`
}
