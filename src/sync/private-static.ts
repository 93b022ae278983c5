// Private posts from a plain static host: our friend index p/<name>.asc (name from a secret only we two share) lists our pages.
import { BOXES_PATH, friendIndexName, friendNameKey } from '../build/page-names.ts'
import { canShareSecret, decryptAndVerify } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { isCursor, type BoxesFile, type Entry, type FriendIndex, type NameBox, type PageRef } from '../protocol/wire.ts'
import { openPage, PAGE_NAME, type Session } from './session.ts'
import type { Sink } from './sink.ts'
import type { SyncState } from './sync-state.ts'
import { jsonOf, request } from './transport.ts'
import { REQUEST_LIMIT } from './private-api.ts'

export async function readFriendIndex(s: Session, state: SyncState): Promise<FriendIndex | undefined> {
  let got
  if (canShareSecret(s.me, s.friend.key)) {
    got = await fetchIndex(s, friendNameKey(s.me, s.friend.key))
  } else {
    // Our keys share no X25519 secret: the name key is in our box (kept from last time, else looked for now).
    got = state.nameKey ? await fetchIndex(s, Buffer.from(state.nameKey, 'hex')) : undefined
    if (!got || got.status === 404) {
      const found = await openOwnBox(s)
      if (found === undefined || found === state.nameKey) return undefined
      state.nameKey = found
      got = await fetchIndex(s, Buffer.from(found, 'hex'))
    }
  }
  if (got.status === 404) return undefined
  if (got.status !== 200) throw new PeerFeedError('REFUSED', `the friend's host answered HTTP ${got.status} for our index.`)
  const d = await decryptAndVerify({
    message: got.body.toString('utf8'),
    key: s.me,
    signers: [s.friend.key],
    date: new Date(s.now()),
  }).catch((e) => {
    throw new PeerFeedError('BAD_PAGE', `our index on the friend's host was refused: ${(e as Error).message}`, { cause: e })
  })
  let index: FriendIndex
  try {
    index = JSON.parse(d.text()) as FriendIndex
  } catch {
    throw new PeerFeedError('BAD_PAGE', "our index on the friend's host is not JSON.")
  }
  if (index?.v !== 1 || index.owner !== s.friend.key.fingerprint || !Array.isArray(index.pages))
    throw new PeerFeedError('BAD_PAGE', "our index on the friend's host is not a PeerFeed friend index.")
  return index
}

const fetchIndex = (s: Session, key: Buffer) =>
  request(s.route, `p/${friendIndexName(key)}.asc`, { maxBytes: s.limits.pageBytes, timeoutMs: s.limits.timeoutMs })

/** Most boxes a host may list before we stop trying them: each costs one decryption attempt. */
export const MAX_BOXES = 1000

/** Our page-name key from p/boxes.json: the one box that decrypts with our key, signed by the friend and naming us. */
export async function openOwnBox(s: Session): Promise<string | undefined> {
  const got = await request(s.route, BOXES_PATH, { maxBytes: s.limits.pageBytes, timeoutMs: s.limits.timeoutMs })
  if (got.status === 404) return undefined
  if (got.status !== 200) throw new PeerFeedError('REFUSED', `the friend's host answered HTTP ${got.status} for ${BOXES_PATH}.`)
  const file = jsonOf<BoxesFile>(got, BOXES_PATH)
  if (file?.v !== 1 || !Array.isArray(file.boxes)) throw new PeerFeedError('BAD_ANSWER', `${BOXES_PATH} is not {v: 1, boxes: [...]}.`)
  for (const box of file.boxes.slice(0, MAX_BOXES)) {
    if (typeof box !== 'string') continue
    // Boxes name no recipient: a box for someone else fails to decrypt, which is the expected case.
    const d = await decryptAndVerify({ message: box, key: s.me, signers: [s.friend.key], date: new Date(s.now()) }).catch(() => undefined)
    if (!d) continue
    let v: NameBox
    try {
      v = JSON.parse(d.text()) as NameBox
    } catch {
      continue
    }
    if (
      v?.v === 1 &&
      v.owner === s.friend.key.fingerprint &&
      v.friend === s.me.fingerprint &&
      typeof v.nameKey === 'string' &&
      /^[0-9a-f]{64}$/.test(v.nameKey)
    )
      return v.nameKey
  }
  return undefined
}

/** 'none' when the host holds no index for us (the friend has not added us, or has not built since). */
export async function privateViaStatic(s: Session, state: SyncState, out: Sink): Promise<'done' | 'none'> {
  const index = await readFriendIndex(s, state)
  if (!index) return 'none'
  // Pages are chosen against the cursor at the start: the stored one moves as accepted entries arrive (sink.ts).
  const since = state.cursor
  const pages = index.pages
    .filter((p: PageRef) => PAGE_NAME.test(p?.name) && isCursor(p.last) && (since === null || compareCursors(p.last, since) > 0))
    .sort((a, b) => compareCursors(a.last, b.last))
  // Batches of about REQUEST_LIMIT entries, never splitting pages that share a last cursor.
  for (let i = 0; i < pages.length; ) {
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
      if (got.status !== 200)
        throw new PeerFeedError('REFUSED', `the friend's host answered HTTP ${got.status} for a page listed in our index.`)
      entries.push(...(await openPage(s, got.body.toString('utf8'))).entries)
    }
    await out.take(entries, { isPrivate: true, cursor: 'cursor' })
  }
  return 'done'
}
