// One friend, one route: decrypts and checks pages and attachment files as they arrive from the friend.
import crypto from 'node:crypto'
import { decryptAndVerify, type SecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Attachment } from '../posts/types.ts'
import type { PrivatePage } from '../protocol/wire.ts'
import type { Accepted } from './check-entry.ts'
import type { Followed } from './follows.ts'
import { request, type Route } from './transport.ts'

export interface Session {
  friend: Followed
  me: SecretKey
  route: Route
  now: () => number
  random: (n: number) => Buffer
  /** `batchEntries`: entries per stored batch (batches.ts; TAKE_AT when left out) */
  limits: { answerBytes: number; pageBytes: number; fileBytes: number; timeoutMs: number; batchEntries?: number }
}

/**
 * How each entry of an opened page reached me: 'you' (a page for me alone) or the friend's group name. Kept beside
 * the entry objects, so the wire shapes stay as they are; the store records it in the sync state.
 */
export const pageAudience = new WeakMap<object, string>()

export const PAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/

/** Decrypts a private page (inflating to at most MAX_PAGE_BYTES, the default) and requires the friend's signature and their fingerprint as owner. */
export async function openPage(s: Session, armored: unknown): Promise<PrivatePage> {
  if (typeof armored !== 'string') throw new PeerFeedError('BAD_PAGE', 'a page is not an armored message')
  const d = await decryptAndVerify({ message: armored, key: s.me, signers: [s.friend.key], date: new Date(s.now()) }).catch((e) => {
    throw new PeerFeedError('BAD_PAGE', `a page was refused: ${(e as Error).message}`, { cause: e })
  })
  let page: PrivatePage
  try {
    page = JSON.parse(d.text()) as PrivatePage
  } catch {
    throw new PeerFeedError('BAD_PAGE', 'a signed page is not JSON')
  }
  if (!page || page.v !== 1 || !Array.isArray(page.entries))
    throw new PeerFeedError('BAD_PAGE', 'a signed page is not a PeerFeed page (v 1 with entries)')
  if (page.owner !== s.friend.key.fingerprint)
    throw new PeerFeedError('BAD_PAGE', `a page says it belongs to ${String(page.owner).slice(0, 50)}, not to ${s.friend.key.fingerprint}`)
  if (typeof page.audience === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(page.audience)) {
    for (const e of page.entries) if (e && typeof e === 'object') pageAudience.set(e, page.audience)
  }
  return page
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex')

/** A blob may inflate to the size its signed post declares (no more than the file limit), else to the file limit. */
const inflateCap = (a: Attachment, limit: number) => (Number.isSafeInteger(a.size) && a.size! >= 0 ? Math.min(a.size!, limit) : limit)

const badFile = (e: Accepted, a: Attachment, why: string) => new PeerFeedError('BAD_FILE', `attachment ${a.path} of ${e.stem}: ${why}`)

/** Fetches an attachment: a private blob (encrypted and signed, at p/<name>.asc) or a public file (checked by sha256). */
export async function fetchAttachment(s: Session, e: Accepted, a: Attachment, isPrivate: boolean): Promise<Uint8Array> {
  const where = e.files?.[a.path] ?? ''
  let bytes: Uint8Array
  if (isPrivate) {
    if (!PAGE_NAME.test(where)) throw badFile(e, a, 'its blob name is not a plain name')
    const got = await request(s.route, `p/${where}.asc`, { maxBytes: s.limits.fileBytes, timeoutMs: s.limits.timeoutMs })
    if (got.status !== 200) throw badFile(e, a, `the friend answered HTTP ${got.status} for its blob`)
    const d = await decryptAndVerify({
      message: got.body.toString('utf8'),
      key: s.me,
      signers: [s.friend.key],
      date: new Date(s.now()),
      inflation: { compressed: 'allow', maxBytes: inflateCap(a, s.limits.fileBytes) },
    }).catch((err) => {
      throw badFile(e, a, (err as Error).message)
    })
    bytes = d.data
  } else {
    if (!a.sha256) throw badFile(e, a, 'a public attachment must carry its sha256')
    const rel = where.replace(/^\/+/, '')
    const url = new URL(rel, s.route.base)
    if (url.origin !== new URL(s.route.base).origin || /(^|\/)\.\.?(\/|$)/.test(rel))
      throw badFile(e, a, "its location points outside the friend's site")
    const got = await request(s.route, url.href, { maxBytes: s.limits.fileBytes, timeoutMs: s.limits.timeoutMs })
    if (got.status !== 200) throw badFile(e, a, `the friend answered HTTP ${got.status}`)
    bytes = got.body
  }
  if (a.sha256 && sha256(bytes) !== a.sha256) throw badFile(e, a, 'its sha256 does not match the signed post')
  if (a.size !== undefined && bytes.length !== a.size) throw badFile(e, a, `it is ${bytes.length} bytes, the post says ${a.size}`)
  return bytes
}
