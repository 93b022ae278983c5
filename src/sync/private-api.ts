// Private posts through the friend's API: POST /api/v1/updates, encrypted to them and signed by us, until `pages` is empty.
import { encryptAndSign } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { isCursor, type Entry, type UpdatesRequest } from '../protocol/wire.ts'
import { batches, TAKE_AT } from './batches.ts'
import type { FriendKeys } from './friend-key.ts'
import { openPage, type Session } from './session.ts'
import type { Sink } from './sink.ts'
import type { SyncState } from './sync-state.ts'
import { errorCodeOf, isStaticHostAnswer, jsonOf, request } from './transport.ts'

export type PrivateOutcome = 'done' | 'static' | 'unknown_key' | 'blocked'

export const REQUEST_LIMIT = 500

/** A fresh request body: new nonce, current time. */
export async function updatesRequest(s: Session, since: string | null, limit = REQUEST_LIMIT): Promise<string> {
  const req: UpdatesRequest = {
    since,
    limit,
    nonce: s.random(16).toString('hex'),
    sentAt: new Date(s.now()).toISOString(),
    server: s.friend.key.fingerprint,
  }
  return encryptAndSign({ data: JSON.stringify(req), to: [s.friend.key], signer: s.me })
}

/** The newest cursor among entries (only signed entries are ever passed here), or null. */
export const newestCursor = (entries: readonly unknown[]): string | null =>
  entries.reduce<string | null>((m, e) => {
    const c = (e as Entry)?.cursor
    return isCursor(c) && (m === null || compareCursors(c, m) > 0) ? c : m
  }, null)

/**
 * Asks until the answer is empty. `next` only says "ask again": the next request starts after the newest cursor
 * inside the signed pages received, and the stored cursor moves only to accepted entries (sink.ts). An answer
 * that brings nothing newer than what was asked for (stuck, or `next` creeping forward over the same pages)
 * stops the sync of this friend at once.
 */
export async function privateViaApi(
  s: Session,
  state: SyncState,
  out: Sink,
  keys?: Pick<FriendKeys, 'fromAnswer' | 'settle'>,
  maxRounds = 10_000,
): Promise<PrivateOutcome> {
  // entries are stored a few answers at a time: one journal, one flush and one state write per TAKE_AT entries
  // instead of one per answer (the cursor moves only with a stored batch: an interruption re-asks for more)
  const held = batches(out, { isPrivate: true, cursor: 'cursor' }, s.limits.batchEntries)
  let outcome: PrivateOutcome
  try {
    outcome = await askRounds(s, state, held.add, held.flush, keys, maxRounds)
  } catch (e) {
    // what was received and checked is stored all the same (a store that fails has thrown its own error)
    await held.flush().catch(() => {})
    throw e
  }
  await held.flush()
  return outcome
}

export { TAKE_AT }

async function askRounds(
  s: Session,
  state: SyncState,
  hold: (entries: Entry[]) => Promise<void>,
  flush: () => Promise<void>,
  keys: Pick<FriendKeys, 'fromAnswer' | 'settle'> | undefined,
  maxRounds: number,
): Promise<PrivateOutcome> {
  let ask = state.cursor
  for (let round = 1; round <= maxRounds; round++) {
    const body = await updatesRequest(s, ask)
    const got = await request(s.route, 'api/v1/updates', {
      method: 'POST',
      headers: { 'content-type': 'application/pgp-encrypted' },
      body,
      maxBytes: s.limits.answerBytes,
      timeoutMs: s.limits.timeoutMs,
    })
    const code = errorCodeOf(got)
    if (code === 'unknown_key') return 'unknown_key'
    if (code === 'blocked') return 'blocked'
    if (isStaticHostAnswer(got)) return 'static'
    if (code === 'key_revoked')
      throw new PeerFeedError(
        'REFUSED',
        `${s.friend.name}'s server answers nothing any more: it says ${s.friend.name} revoked their key. Nothing new was fetched; what you received before stays in inbox/${s.friend.name}/. (Sync records the revocation once their published key.asc carries it.)`,
      )
    // a server that no longer opens requests sent to the key we know: follow its key.asc's hand-over, ask again
    // (what is held is stored first: entries are checked against the friend's key as it is now)
    if ((code === 'not_for_me' || code === 'wrong_server') && keys && (await flush(), await keys.settle())) continue
    if (got.status !== 200) {
      throw new PeerFeedError(
        'REFUSED',
        `the friend's server refused the request: HTTP ${got.status}${code ? ` ${code}` : ''}: ${got.body.toString('utf8').slice(0, 200)}`,
      )
    }
    const answer = jsonOf<{ pages?: unknown; next?: unknown; key_rotation?: unknown }>(got, 'the answer to POST /api/v1/updates')
    if (!Array.isArray(answer.pages) || !(answer.next === null || isCursor(answer.next))) {
      throw new PeerFeedError('BAD_ANSWER', 'the answer to POST /api/v1/updates is not {pages: [...], next}.')
    }
    // the key that signed the pages, when we still know an earlier one: checked before any page is opened
    if (keys && answer.key_rotation !== undefined) await flush()
    await keys?.fromAnswer(answer.key_rotation)
    if (answer.pages.length === 0) return 'done'
    const entries: Entry[] = []
    for (const p of answer.pages) entries.push(...(await openPage(s, p)).entries)
    const newest = newestCursor(entries)
    await hold(entries)
    if (answer.next === null) return 'done'
    if (newest === null || (ask !== null && compareCursors(newest, ask) <= 0)) {
      throw new PeerFeedError(
        'STUCK',
        `${s.friend.name}'s server answered round ${round} with pages holding nothing after cursor ${ask ?? '(start)'} (its 'next' says ${String(answer.next)}); stopped instead of asking again. What was new is stored; tell ${s.friend.name} their server repeats itself.`,
      )
    }
    ask = newest
  }
  throw new PeerFeedError('STUCK', `${s.friend.name}'s server kept sending pages for ${maxRounds} rounds; stopped.`)
}
