// Checks the plaintext of an updates request: shape, limits and freshness. Pure: text and clock in, request out.
import { PeerFeedError } from '../errors.ts'
import type { UpdatesRequest } from '../protocol/wire.ts'
import { isPostType } from '../schemas/registry.ts'
import { normalizeCursor } from '../protocol/cursor-order.ts'

export const MAX_LIMIT = 1000
export const DEFAULT_LIMIT = 500
/** How far a request's sentAt may be from the server's clock. */
export const FRESHNESS_MS = 5 * 60_000

const bad = (msg: string) => new PeerFeedError('BAD_FIELDS', `${msg}; see docs/protocol.md (POST /api/v1/updates).`)

export function parseUpdatesRequest(text: string, now: number): UpdatesRequest {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new PeerFeedError('BAD_JSON', 'the decrypted request is not JSON.')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('the request must be a JSON object')
  const r = v as Record<string, unknown>
  if (r.since !== null && r.since !== undefined && typeof r.since !== 'string') throw bad("'since' must be a cursor string or null")
  const since = typeof r.since === 'string' ? normalizeCursor(r.since) : null
  const limit = r.limit === undefined ? DEFAULT_LIMIT : r.limit
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw bad(`'limit' must be an integer from 1 to ${MAX_LIMIT}`)
  let types: string[] | undefined
  if (r.types !== undefined) {
    if (!Array.isArray(r.types) || r.types.length === 0 || r.types.length > 32 || !r.types.every(isPostType)) throw bad("'types' must be a non-empty list of known post types")
    types = r.types as string[]
  }
  if (typeof r.nonce !== 'string' || !/^[0-9a-fA-F]{16,128}$/.test(r.nonce)) throw bad("'nonce' must be 16 to 128 hex digits")
  if (typeof r.sentAt !== 'string' || r.sentAt.length > 40) throw bad("'sentAt' must be an ISO 8601 date and time")
  const sent = Date.parse(r.sentAt)
  if (Number.isNaN(sent)) throw bad("'sentAt' must be an ISO 8601 date and time")
  if (Math.abs(now - sent) > FRESHNESS_MS) {
    throw new PeerFeedError('STALE', `the request was sent at ${r.sentAt}, more than 5 minutes from this server's clock (${new Date(now).toISOString()}); check your clock and send a fresh request.`)
  }
  return { since, limit, ...(types ? { types } : {}), nonce: r.nonce.toLowerCase(), sentAt: r.sentAt }
}
