// Checks the plaintext of an updates request: size and depth before parsing, then shape, limits, freshness and
// the server it names. Pure: text, clock and the server's fingerprint in, request out.
import { PeerFeedError } from '../errors.ts'
import type { UpdatesRequest } from '../protocol/wire.ts'
import { isPostType } from '../schemas/registry.ts'
import { normalizeCursor } from '../protocol/cursor-order.ts'

export const MAX_LIMIT = 1000
export const DEFAULT_LIMIT = 500
/** How far a request's sentAt may be from the server's clock. */
export const FRESHNESS_MS = 5 * 60_000
/** A request's plaintext is small (about 250 bytes with 32 types); anything longer is refused before parsing. */
export const MAX_REQUEST_BYTES = 4096
/** `{"types": [...]}` is 2 deep; nothing in a request nests further. */
export const MAX_REQUEST_DEPTH = 4

const bad = (msg: string) => new PeerFeedError('BAD_FIELDS', `${msg}; see docs/protocol.md (POST /api/v1/updates).`)

/** The deepest nesting of [ and { outside strings, stopping as soon as it passes `max`. */
export function jsonDepthOver(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > max) return true
    } else if (c === 93 || c === 125) depth--
  }
  return false
}

/**
 * `server` is the fingerprint of the key the server serves; a request may also name one of its `earlier` keys
 * (a friend who has not yet seen a rotation), and the parsed request keeps the fingerprint it named.
 */
export function parseUpdatesRequest(text: string, now: number, server: string, earlier: readonly string[] = []): UpdatesRequest {
  if (text.length > MAX_REQUEST_BYTES)
    throw new PeerFeedError(
      'TOO_LARGE',
      `the decrypted request is longer than ${MAX_REQUEST_BYTES} bytes; a request is a small JSON object (docs/protocol.md).`,
    )
  if (jsonDepthOver(text, MAX_REQUEST_DEPTH))
    throw new PeerFeedError('BAD_JSON', `the decrypted request nests deeper than ${MAX_REQUEST_DEPTH} levels.`)
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new PeerFeedError('BAD_JSON', 'the decrypted request is not JSON.')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('the request must be a JSON object')
  const r = v as Record<string, unknown>
  if (typeof r.server !== 'string' || !/^[0-9a-fA-F]{40}$/.test(r.server))
    throw bad("'server' must be the fingerprint of the server's key (40 hex digits, from /key.asc)")
  const named = r.server.toLowerCase()
  if (named !== server && !earlier.includes(named)) {
    throw new PeerFeedError(
      'WRONG_SERVER',
      `this request is for the server with key ${r.server.toLowerCase()}, not for this one (${server}); a request cannot be forwarded to another server.`,
    )
  }
  if (r.since !== null && r.since !== undefined && typeof r.since !== 'string') throw bad("'since' must be a cursor string or null")
  const since = typeof r.since === 'string' ? normalizeCursor(r.since) : null
  const limit = r.limit === undefined ? DEFAULT_LIMIT : r.limit
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw bad(`'limit' must be an integer from 1 to ${MAX_LIMIT}`)
  let types: string[] | undefined
  if (r.types !== undefined) {
    if (!Array.isArray(r.types) || r.types.length === 0 || r.types.length > 32 || !r.types.every(isPostType))
      throw bad("'types' must be a non-empty list of known post types")
    types = r.types as string[]
  }
  if (typeof r.nonce !== 'string' || !/^[0-9a-fA-F]{16,128}$/.test(r.nonce)) throw bad("'nonce' must be 16 to 128 hex digits")
  if (typeof r.sentAt !== 'string' || r.sentAt.length > 40) throw bad("'sentAt' must be an ISO 8601 date and time")
  const sent = Date.parse(r.sentAt)
  if (Number.isNaN(sent)) throw bad("'sentAt' must be an ISO 8601 date and time")
  if (Math.abs(now - sent) > FRESHNESS_MS) {
    throw new PeerFeedError(
      'STALE',
      `the request was sent at ${r.sentAt}, more than 5 minutes from this server's clock (${new Date(now).toISOString()}); check your clock and send a fresh request.`,
    )
  }
  return { since, limit, ...(types ? { types } : {}), nonce: r.nonce.toLowerCase(), sentAt: r.sentAt, server: named }
}
