// Private posts through the friend's API: POST /api/v1/updates, encrypted to them and signed by us, until `pages` is empty.
import { encryptAndSign } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { isCursor, type Entry, type UpdatesRequest } from '../protocol/wire.ts'
import { openPage, type Session } from './session.ts'
import type { Sink } from './sink.ts'
import type { SyncState } from './sync-state.ts'
import { errorCodeOf, isStaticHostAnswer, jsonOf, request } from './transport.ts'

export type PrivateOutcome = 'done' | 'static' | 'unknown_key' | 'blocked'

export const REQUEST_LIMIT = 500

/** A fresh request body: new nonce, current time. */
export async function updatesRequest(s: Session, since: string | null, limit = REQUEST_LIMIT): Promise<string> {
  const req: UpdatesRequest = { since, limit, nonce: s.random(16).toString('hex'), sentAt: new Date(s.now()).toISOString(), server: s.friend.key.fingerprint }
  return encryptAndSign({ data: JSON.stringify(req), to: [s.friend.key], signer: s.me })
}

export async function privateViaApi(s: Session, state: SyncState, out: Sink, maxRounds = 10_000): Promise<PrivateOutcome> {
  for (let round = 0; round < maxRounds; round++) {
    const body = await updatesRequest(s, state.cursor)
    const got = await request(s.route, 'api/v1/updates', {
      method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body, maxBytes: s.limits.answerBytes, timeoutMs: s.limits.timeoutMs,
    })
    const code = errorCodeOf(got)
    if (code === 'unknown_key') return 'unknown_key'
    if (code === 'blocked') return 'blocked'
    if (isStaticHostAnswer(got)) return 'static'
    if (got.status !== 200) {
      throw new PeerFeedError('REFUSED', `the friend's server refused the request: HTTP ${got.status}${code ? ` ${code}` : ''}: ${got.body.toString('utf8').slice(0, 200)}`)
    }
    const answer = jsonOf<{ pages?: unknown; next?: unknown }>(got, 'the answer to POST /api/v1/updates')
    if (!Array.isArray(answer.pages) || !(answer.next === null || isCursor(answer.next))) {
      throw new PeerFeedError('BAD_ANSWER', 'the answer to POST /api/v1/updates is not {pages: [...], next}.')
    }
    if (answer.pages.length === 0) return 'done'
    const entries: Entry[] = []
    for (const p of answer.pages) entries.push(...(await openPage(s, p)).entries)
    const next = answer.next as string | null
    const top = entries.reduce<string | null>((m, e) => (isCursor(e?.cursor) && (m === null || compareCursors(e.cursor, m) > 0) ? e.cursor : m), null)
    const moveTo = next ?? top
    if (moveTo === null || (state.cursor !== null && compareCursors(moveTo, state.cursor) <= 0)) {
      // A server that keeps answering without moving forward would loop forever.
      await out.take(entries, { isPrivate: true, advance: () => {} })
      throw new PeerFeedError('BAD_ANSWER', `the friend's server answered pages but its 'next' (${moveTo}) does not move past ${state.cursor}.`)
    }
    await out.take(entries, { isPrivate: true, advance: (st) => { st.cursor = moveTo } })
  }
  throw new PeerFeedError('BAD_ANSWER', 'the friend keeps sending pages; stopped after too many rounds.')
}
