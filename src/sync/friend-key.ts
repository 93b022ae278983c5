// The friend's key on this route. Before anything else sync reads their published key (key.asc): a revocation stops
// the sync (what was received stays). A different key must be explained by a signed hand-over from the key we know:
// the `key_rotation` of their server's answer (POST /api/v1/updates), else key-rotation.json on the same route (a
// static host). Each step must be signed by the key before it and by the new one; then the new key replaces ours in
// keys/NAME.asc (the old one kept in keys/history/). Any other new key is refused with a plain message.
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

/** One friend's key during one sync on one route (see the top of this file). */
export interface FriendKeys {
  /** Reads key.asc: throws for a revoked key; remembers a different key until a hand-over explains it. */
  check(): Promise<void>
  /** The `key_rotation` of an updates answer (undefined when absent), before any of its pages is opened. */
  fromAnswer(chain: unknown): Promise<void>
  /** Explains a different key.asc that no answer did, from key-rotation.json; true when our key changed. */
  settle(): Promise<boolean>
}

export function friendKeys(layout: Layout, s: Session, state: SyncState, note: (line: string) => void): FriendKeys {
  const f = s.friend
  const file = f.friend ? path.join(layout.keys, `${f.name}.asc`) : publicKeyFile(layout, f.name)
  const date = () => new Date(s.now())
  /** key.asc shows this key, which is not the one we know */
  let published: PublicKey | undefined

  const refused = (why: string, shown?: string) =>
    new PeerFeedError(
      'KEY_ROTATION_REFUSED',
      `${f.name}'s ${shown ? `feed now shows a different key (${short(shown)})` : 'server says they moved to a new key'} and ${why}, so it was not accepted and nothing was ${shown ? 'fetched' : 'stored'} from ${f.name}. ` +
        `If ${f.name} really has a new key, check its fingerprint with them in person, then: peerfeed peer add ${f.name} KEY. Until then ${rel(layout, file)} stays as it was.`,
    )

  /** Walks `chain` from our key (to `target`, else as far as it goes), then takes the new key. */
  async function follow(chain: unknown[], target: string | undefined, fail: (why: string) => PeerFeedError): Promise<void> {
    // bounded before anything in it is parsed as a statement or a key: as key-rotation.json and key.asc are
    if (chain.length > MAX_CHAIN || JSON.stringify(chain).length > KEY_BYTES)
      throw fail(`its hand-over is bigger than any real one (${chain.length} statements; at most ${MAX_CHAIN}, ${KEY_BYTES} bytes in all)`)
    let current = f.key
    const passed: PublicKey[] = []
    for (let hops = 0; target ? current.fingerprint !== target : true; hops++) {
      const from = current
      const step = chain.find(
        (r) =>
          typeof (r as { statement?: unknown })?.statement === 'string' &&
          (r as { statement: string }).statement.includes(`"old":"${from.fingerprint}"`),
      )
      if (!step) {
        if (!target && passed.length > 0) break
        throw fail(
          `no rotation in it starts from ${passed.length ? 'the key it rotated to' : 'the key you know'} (${short(from.fingerprint)})`,
        )
      }
      if (hops >= MAX_CHAIN) throw fail('its chain of rotations is too long')
      try {
        current = await verifyRotation({ rotation: step, from, date: date() })
      } catch (e) {
        throw fail((e as Error).message)
      }
      passed.push(from)
    }
    // keep every key we passed through, then take the published copy of the new one (it may carry newer signatures)
    for (const old of passed) await writeFileAtomic(friendHistoryFile(layout, f.name, old.fingerprint), old.armored)
    const next =
      published?.fingerprint === current.fingerprint ? await mergeKey({ stored: current, fetched: published, date: date() }) : current
    await writeFileAtomic(file, next.armored)
    const from = f.key.fingerprint
    f.key = next
    if (published?.fingerprint === next.fingerprint) published = undefined
    state.fingerprint = next.fingerprint
    await writeState(layout, f.name, state) // the cursors stay: the friend's ledger did not change with the key
    if (next.revoked) throw revokedError(f.name, next, rel(layout, file))
    note(
      `${f.name} moved to a new key ${short(next.fingerprint)}, signed over by the key you knew (${short(from)}); ${rel(layout, file)} updated, the old key kept in keys/history/.`,
    )
  }

  return {
    async check() {
      if (f.key.revoked) throw revokedError(f.name, f.key, rel(layout, file))
      const got = await request(s.route, 'key.asc', { maxBytes: KEY_BYTES, timeoutMs: s.limits.timeoutMs }).catch(() => undefined)
      if (got?.status !== 200) return // an older feed, or a host without it: nothing to learn here
      let shown: PublicKey
      try {
        shown = await readPublicKey(got.body.toString('utf8'), { source: `${f.name}'s key.asc`, date: date() })
      } catch {
        return // not a key: the pages' signatures still decide what is accepted
      }
      if (shown.fingerprint !== f.key.fingerprint) {
        published = shown // the server's answer, or key-rotation.json, must explain it before anything is stored
        return
      }
      const merged = await mergeKey({ stored: f.key, fetched: shown, date: date() })
      if (!merged.revoked) return
      await writeFileAtomic(file, merged.armored)
      f.key = merged
      throw revokedError(f.name, merged, rel(layout, file))
    },

    async fromAnswer(chain) {
      if (chain === undefined) {
        await this.settle()
        return
      }
      if (!Array.isArray(chain)) throw refused('the hand-over in its answer is not a list of rotation statements')
      await follow(chain, undefined, (why) => refused(why))
      if (published) await this.settle() // key.asc shows yet another key
    },

    async settle() {
      if (!published) return false
      const shown = published.fingerprint
      const fail = (why: string) => refused(why, shown)
      const got = await request(s.route, ROTATION_PATH, { maxBytes: KEY_BYTES, timeoutMs: s.limits.timeoutMs }).catch(() => undefined)
      if (got?.status !== 200) throw fail(`no signed hand-over from the key you know (${short(f.key.fingerprint)}) is published`)
      let chain: unknown
      try {
        chain = JSON.parse(got.body.toString('utf8'))
      } catch {
        throw fail(`its ${ROTATION_PATH} is not JSON`)
      }
      if (!Array.isArray(chain)) throw fail(`its ${ROTATION_PATH} is not a list`)
      await follow(chain, shown, fail)
      return true
    },
  }
}
