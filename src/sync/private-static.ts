// Private posts from a plain static host: our friend index p/<name>.asc (name from a secret only we two share) lists our pages.
import { friendIndexName, friendNameKey } from '../build/page-names.ts'
import { decryptAndVerify } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { isCursor, type Entry, type FriendIndex, type PageRef } from '../protocol/wire.ts'
import { openPage, PAGE_NAME, type Session } from './session.ts'
import type { Sink } from './sink.ts'
import type { SyncState } from './sync-state.ts'
import { request } from './transport.ts'
import { REQUEST_LIMIT } from './private-api.ts'

export async function readFriendIndex(s: Session): Promise<FriendIndex | undefined> {
  const name = friendIndexName(friendNameKey(s.me, s.friend.key))
  const got = await request(s.route, `p/${name}.asc`, { maxBytes: s.limits.pageBytes, timeoutMs: s.limits.timeoutMs })
  if (got.status === 404) return undefined
  if (got.status !== 200) throw new PeerFeedError('REFUSED', `the friend's host answered HTTP ${got.status} for our index.`)
  const d = await decryptAndVerify({ message: got.body.toString('utf8'), key: s.me, signers: [s.friend.key], date: new Date(s.now()) }).catch((e) => {
    throw new PeerFeedError('BAD_PAGE', `our index on the friend's host was refused: ${(e as Error).message}`, { cause: e })
  })
  let index: FriendIndex
  try {
    index = JSON.parse(d.text()) as FriendIndex
  } catch {
    throw new PeerFeedError('BAD_PAGE', 'our index on the friend\'s host is not JSON.')
  }
  if (index?.v !== 1 || index.owner !== s.friend.key.fingerprint || !Array.isArray(index.pages)) throw new PeerFeedError('BAD_PAGE', 'our index on the friend\'s host is not a PeerFeed friend index.')
  return index
}

/** 'none' when the host holds no index for us (the friend has not added us, or has not built since). */
export async function privateViaStatic(s: Session, state: SyncState, out: Sink): Promise<'done' | 'none'> {
  const index = await readFriendIndex(s)
  if (!index) return 'none'
  const pages = index.pages
    .filter((p: PageRef) => PAGE_NAME.test(p?.name) && isCursor(p.last) && (state.cursor === null || compareCursors(p.last, state.cursor) > 0))
    .sort((a, b) => compareCursors(a.last, b.last))
  // Batches of about REQUEST_LIMIT entries, never splitting pages that share a last cursor.
  for (let i = 0; i < pages.length;) {
    const batch: PageRef[] = []
    let count = 0
    while (i < pages.length && (count < REQUEST_LIMIT || compareCursors(pages[i].last, batch[batch.length - 1].last) === 0)) {
      batch.push(pages[i])
      count += Number(pages[i].count) || 0
      i++
    }
    const entries: Entry[] = []
    for (const p of batch) {
      const got = await request(s.route, `p/${p.name}.asc`, { maxBytes: s.limits.pageBytes, timeoutMs: s.limits.timeoutMs })
      if (got.status !== 200) throw new PeerFeedError('REFUSED', `the friend's host answered HTTP ${got.status} for a page listed in our index.`)
      entries.push(...(await openPage(s, got.body.toString('utf8'))).entries)
    }
    const last = batch[batch.length - 1].last
    await out.take(entries, { isPrivate: true, advance: (st) => { st.cursor = last } })
  }
  return 'done'
}
