// Public posts: GET /api/v1/public (or the same pages as files on a static host), each entry checked against a
// manifest of hashes that the friend signed.
import { verifyDetached } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { entryHash } from '../protocol/canonical.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { isCursor, type Entry, type PageRef, type PublicManifest } from '../protocol/wire.ts'
import { batches } from './batches.ts'
import { PAGE_NAME, type Session } from './session.ts'
import { newestCursor } from './private-api.ts'
import { tooDeep, type Sink } from './sink.ts'
import { MAX_ENTRY_DEPTH, nestsDeeperThan } from '../protocol/json-depth.ts'
import type { SyncState } from './sync-state.ts'
import { isStaticHostAnswer, jsonOf, request } from './transport.ts'

const PUBLIC_LIMIT = 500

/** Verifies the signed manifests and returns the hashes they vouch for; a bad signature throws. */
export async function vouchedHashes(s: Session, manifests: unknown): Promise<Set<string>> {
  if (!Array.isArray(manifests)) throw new PeerFeedError('BAD_ANSWER', "the public answer has no 'manifests' list.")
  const out = new Set<string>()
  for (const m of manifests as { manifest?: unknown; signature?: unknown }[]) {
    if (typeof m?.manifest !== 'string' || typeof m.signature !== 'string')
      throw new PeerFeedError('BAD_ANSWER', 'a manifest is not {manifest, signature}.')
    await verifyDetached({ data: m.manifest, signature: m.signature, signers: [s.friend.key], date: new Date(s.now()) }).catch((e) => {
      throw new PeerFeedError('BAD_PAGE', `a public manifest was refused: ${(e as Error).message}`, { cause: e })
    })
    const parsed = JSON.parse(m.manifest) as PublicManifest
    if (parsed.owner !== s.friend.key.fingerprint || !Array.isArray(parsed.hashes))
      throw new PeerFeedError('BAD_PAGE', 'a signed public manifest belongs to someone else.')
    for (const h of parsed.hashes) if (typeof h === 'string') out.add(h)
  }
  return out
}

/** Splits entries into those a verified manifest vouches for and the rest (reported, never stored). */
function vouched(entries: unknown[], hashes: Set<string>, out: Sink): Entry[] {
  return entries.filter((e): e is Entry => {
    // Hashing recurses: measure the depth first (iteratively), or a hostile entry overflows the stack.
    if (nestsDeeperThan(e, MAX_ENTRY_DEPTH)) {
      out.rejected.push(tooDeep(typeof (e as Entry)?.id === 'string' ? (e as Entry).id.slice(0, 200) : undefined))
      return false
    }
    const ok = hashes.has(entryHash(e))
    if (!ok)
      out.rejected.push({
        id: typeof (e as Entry)?.id === 'string' ? (e as Entry).id.slice(0, 200) : undefined,
        why: 'its hash is in no manifest the friend signed (altered on the way?)',
      })
    return ok
  })
}

/**
 * Asks until `next` is null. As for private pages, `next` is only a hint: the next request starts after the newest
 * cursor the friend's signed manifests vouch for, and only accepted entries move the stored cursor (sink.ts).
 */
export async function publicViaApi(s: Session, state: SyncState, out: Sink, maxRounds = 100_000): Promise<'done' | 'static'> {
  // as for private pages: a few answers a batch (one flush and one state write each)
  const held = batches(out, { isPrivate: false, cursor: 'publicCursor' }, s.limits.batchEntries)
  try {
    const outcome = await askPublic(s, state, out, held.add, maxRounds)
    await held.flush()
    return outcome
  } catch (e) {
    await held.flush().catch(() => {})
    throw e
  }
}

async function askPublic(
  s: Session,
  state: SyncState,
  out: Sink,
  hold: (e: Entry[]) => Promise<void>,
  maxRounds: number,
): Promise<'done' | 'static'> {
  let ask = state.publicCursor
  for (let round = 1; round <= maxRounds; round++) {
    const q = `api/v1/public?limit=${PUBLIC_LIMIT}${ask ? `&since=${ask}` : ''}`
    const got = await request(s.route, q, { maxBytes: s.limits.answerBytes, timeoutMs: s.limits.timeoutMs })
    if (isStaticHostAnswer(got)) return 'static'
    if (got.status !== 200)
      throw new PeerFeedError('REFUSED', `GET /api/v1/public answered HTTP ${got.status}: ${got.body.toString('utf8').slice(0, 200)}`)
    const answer = jsonOf<{ posts?: unknown; next?: unknown; manifests?: unknown }>(got, 'the answer to GET /api/v1/public')
    if (!Array.isArray(answer.posts) || !(answer.next === null || isCursor(answer.next)))
      throw new PeerFeedError('BAD_ANSWER', 'the public answer is not {posts, next, manifests}.')
    if (answer.posts.length === 0) return 'done'
    const good = vouched(answer.posts, await vouchedHashes(s, answer.manifests), out)
    const newest = newestCursor(good)
    await hold(good)
    if (answer.next === null) return 'done'
    if (newest === null || (ask !== null && compareCursors(newest, ask) <= 0)) {
      throw new PeerFeedError(
        'STUCK',
        `${s.friend.name}'s public answer (round ${round}) holds nothing signed after cursor ${ask ?? '(start)'} (its 'next' says ${String(answer.next)}); stopped instead of asking again.`,
      )
    }
    ask = newest
  }
  throw new PeerFeedError('STUCK', `${s.friend.name}'s server kept sending public posts for ${maxRounds} rounds; stopped.`)
}

/** The same public pages as files: api/public/index.json, <page>.json, <page>.manifest.json(.asc). */
export async function publicViaStatic(s: Session, state: SyncState, out: Sink): Promise<'done' | 'none'> {
  const get = (p: string) => request(s.route, `api/public/${p}`, { maxBytes: s.limits.pageBytes, timeoutMs: s.limits.timeoutMs })
  const idx = await get('index.json')
  if (idx.status === 404) return 'none'
  if (idx.status !== 200) throw new PeerFeedError('REFUSED', `api/public/index.json answered HTTP ${idx.status}.`)
  const index = jsonOf<{ owner?: unknown; pages?: PageRef[] }>(idx, 'api/public/index.json')
  if (!Array.isArray(index.pages)) throw new PeerFeedError('BAD_ANSWER', 'api/public/index.json lists no pages.')
  // index.json is not signed: its `last` values only choose which pages to read (against the cursor at the
  // start); the stored cursor moves to accepted entries of signed pages (sink.ts), never to an index value.
  const since = state.publicCursor
  const pages = index.pages
    .filter((p) => PAGE_NAME.test(p?.name) && isCursor(p.last) && (since === null || compareCursors(p.last, since) > 0))
    .sort((a, b) => compareCursors(a.last, b.last))
  for (const p of pages) {
    const [page, manifest, signature] = await Promise.all([
      get(`${p.name}.json`),
      get(`${p.name}.manifest.json`),
      get(`${p.name}.manifest.json.asc`),
    ])
    if (page.status !== 200 || manifest.status !== 200 || signature.status !== 200)
      throw new PeerFeedError('REFUSED', `public page ${p.name} is incomplete on the friend's host.`)
    const hashes = await vouchedHashes(s, [{ manifest: manifest.body.toString('utf8'), signature: signature.body.toString('utf8') }])
    const entries = jsonOf<{ entries?: unknown }>(page, `api/public/${p.name}.json`).entries
    if (!Array.isArray(entries)) throw new PeerFeedError('BAD_ANSWER', `api/public/${p.name}.json has no entries.`)
    const fresh = entries.filter((e) => since === null || !isCursor((e as Entry)?.cursor) || compareCursors((e as Entry).cursor, since) > 0)
    const good = vouched(fresh, hashes, out)
    await out.take(good, { isPrivate: false, cursor: 'publicCursor' })
  }
  return 'done'
}
