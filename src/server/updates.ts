// POST /api/v1/updates: cheap refusals first (type, size, rate, recipient), then decrypt+verify, then the precomputed pages.
import type http from 'node:http'
import { recipientKeyIds } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Decryptor } from './decryptor.ts'
import type { Known } from './identity-cache.ts'
import { rotationChain, type OwnKeys } from './own-keys.ts'
import type { RateLimiter } from './rate-limit.ts'
import { readBody } from './read-body.ts'
import type { ReplayCache } from './replay-cache.ts'
import { selectPages } from './select-pages.ts'
import type { Snapshot } from './snapshot.ts'

/** Counters for operators and benchmarks: how many update requests got as far as decryption. */
export interface UpdatesStats {
  received: number
  refusedBeforeCrypto: number
  decrypted: number
  answered: number
}

export interface UpdatesDeps {
  stats: UpdatesStats
  /** the owner's keys, reloaded when they change (own-keys.ts) */
  keys: () => Promise<OwnKeys>
  now: () => number
  bodyLimit: number
  maxPending: number
  perIp: RateLimiter
  perKey: RateLimiter
  replay: ReplayCache
  decryptor: Decryptor
  known: () => Promise<Known>
  snapshot: () => Snapshot | Promise<Snapshot>
  log?: (m: string) => void
}

const CONTENT_TYPE = 'application/pgp-encrypted'
const WILDCARD = '0000000000000000'
/** Public-key encrypted session keys a request may carry (docs/protocol.md). */
export const MAX_RECIPIENTS = 4

/**
 * Connections that carried an answered request: a friend's sync asks again on the same keep-alive connection, and
 * those requests skip the per-address limit and the queue for decryption (a flood from the same address, or from
 * many, does not stand in front of them). They are still decrypted, verified and limited per key like any other, and
 * a refused request sends its connection back to the common lane.
 */
const friendConnections = new WeakSet<object>()
export const isFriendConnection = (req: http.IncomingMessage) => friendConnections.has(req.socket)

/** Returns the JSON answer body; every refusal is a thrown PeerFeedError (mapped to a status by respond.ts). */
export async function handleUpdates(req: http.IncomingMessage, d: UpdatesDeps): Promise<string> {
  d.stats.received++
  let early = true
  try {
    const answer = await respond(req, d, () => {
      early = false
    })
    d.stats.answered++
    friendConnections.add(req.socket)
    return answer
  } catch (e) {
    if (early) d.stats.refusedBeforeCrypto++
    // garbage sent on a friend's connection does not keep the friends' lane
    friendConnections.delete(req.socket)
    throw e
  }
}

async function respond(req: http.IncomingMessage, d: UpdatesDeps, cryptoStarts: () => void): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== CONTENT_TYPE)
    throw new PeerFeedError(
      'UNSUPPORTED_MEDIA_TYPE',
      `send the request as Content-Type: ${CONTENT_TYPE} (got '${type.slice(0, 60) || 'none'}').`,
    )
  const friend = isFriendConnection(req)
  if (!friend) d.perIp.take(req.socket.remoteAddress ?? '?', d.now())
  const body = await readBody(req, d.bodyLimit)
  const ids = recipientKeyIds(body)
  // Each recipient may cost one key agreement: a request is for this server (and perhaps its sender's own key).
  if (ids.length > MAX_RECIPIENTS)
    throw new PeerFeedError(
      'NOT_FOR_ME',
      `the request is encrypted to ${ids.length} recipients; at most ${MAX_RECIPIENTS} are accepted. Encrypt it to this server's key.`,
    )
  const own = await d.keys().catch((e) => {
    d.log?.(`refusing updates: ${(e as Error).message}`)
    throw new PeerFeedError('UNAVAILABLE', 'this server cannot answer updates right now; its owner must fix its configuration.')
  })
  if (own.revoked)
    throw new PeerFeedError('KEY_REVOKED', "this feed's key has been revoked by its owner: nothing is answered under it (see /key.asc).")
  // Anonymous recipients (key id 0, as every PeerFeed message and gpg --throw-keyids make) could be this server: only decryption can tell.
  // A request may be encrypted to an earlier key of the owner's (a friend who has not seen a rotation yet).
  if (!ids.some((id) => id === WILDCARD || own.all.some((k) => k.publicKey.hasKeyId(id)))) {
    throw new PeerFeedError(
      'NOT_FOR_ME',
      `the request is not encrypted to this server's key ${own.current.fingerprint} (recipients: ${ids.join(', ')}); fetch /key.asc.`,
    )
  }
  // the friends' lane has room of its own beyond the common queue
  if (d.decryptor.pending() >= d.maxPending * (friend ? 2 : 1))
    throw new PeerFeedError('BUSY', 'the server is busy; try again in a moment.')
  const known = await d.known().catch((e) => {
    // A broken keys/ or block list: refuse everyone (fail closed) and tell the owner, not the requester.
    d.log?.(`refusing updates: ${(e as Error).message}`)
    throw new PeerFeedError('UNAVAILABLE', 'this server cannot answer updates right now; its owner must fix its configuration.')
  })
  cryptoStarts()
  d.stats.decrypted++
  // a blocked key is checked like a stranger's: the same refusal, so the answer does not tell them they are blocked
  const trusted = known.blocked.size ? known.keys.filter((k) => !known.blocked.has(k.fingerprint)) : known.keys
  const { signer, request, refusal } = await d.decryptor.open(body, trusted, d.now(), { friend, keys: own.all }).catch((e) => {
    if ((e as PeerFeedError).code === 'BAD_SIGNATURE') {
      throw unknownKey()
    }
    throw e
  })
  if (known.blocked.has(signer)) throw unknownKey()
  d.perKey.take(signer, d.now())
  if (!request) throw new PeerFeedError(refusal?.code ?? 'BAD_JSON', refusal?.message ?? 'the decrypted request was refused.')
  d.replay.check(signer, request.nonce, d.now())
  const snap = await d.snapshot()
  const { pages, next } = selectPages(snap.audiencesOf.get(signer) ?? [], request.since, request.limit, request.types)
  const texts = await Promise.all(pages.map((p) => snap.pageJson(p.name)))
  // A friend who still knows an earlier key learns here, from statements that key signed, which key signed the pages.
  const chain = rotationChain(own, request.server, snap.manifest.owner)
  const rotation = chain.length ? `,"key_rotation":${JSON.stringify(chain)}` : ''
  return `{"pages":[${texts.join(',')}],"next":${next === null ? 'null' : JSON.stringify(next)}${rotation}}`
}

const unknownKey = () =>
  new PeerFeedError(
    'UNKNOWN_KEY',
    'the request is not signed by a key this server knows; ask the owner to add your key, or read the public API (GET /api/v1/public).',
  )
