// Writes JSON answers and maps error codes to HTTP status: the only place in PeerFeed that knows HTTP status codes.
import type http from 'node:http'
import { isPeerFeedError } from '../errors.ts'

/** Error code (as thrown anywhere) → HTTP status and the code sent on the wire. */
const STATUS: Record<string, [number, string]> = {
  BAD_REQUEST: [400, 'bad_request'],
  BAD_QUERY: [400, 'bad_query'],
  BAD_PATH: [400, 'bad_path'],
  NOT_ARMORED: [400, 'not_armored'],
  NOT_A_MESSAGE: [400, 'not_a_message'],
  NOT_ENCRYPTED: [400, 'not_encrypted'],
  NOT_FOR_ME: [400, 'not_for_me'],
  BAD_MESSAGE: [400, 'bad_message'],
  BAD_JSON: [400, 'bad_json'],
  BAD_FIELDS: [400, 'bad_fields'],
  COMPRESSED: [400, 'compressed'],
  STALE: [401, 'stale'],
  REPLAYED: [401, 'replayed'],
  BAD_SIGNATURE: [403, 'unknown_key'],
  UNKNOWN_KEY: [403, 'unknown_key'],
  BLOCKED: [403, 'blocked'],
  WRONG_SERVER: [403, 'wrong_server'],
  KEY_REVOKED: [403, 'key_revoked'],
  NOT_FOUND: [404, 'not_found'],
  METHOD_NOT_ALLOWED: [405, 'method_not_allowed'],
  TIMEOUT: [408, 'timeout'],
  TOO_LARGE: [413, 'too_large'],
  URI_TOO_LONG: [414, 'uri_too_long'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'unsupported_media_type'],
  RATE_LIMITED: [429, 'rate_limited'],
  BUSY: [429, 'busy'],
  NOT_BUILT: [503, 'not_built'],
  UNAVAILABLE: [503, 'unavailable'],
}

export function statusOf(code: string): [number, string] {
  return STATUS[code] ?? [500, 'internal']
}

export function sendJson(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(body)
}

/** `{error:{code,message}}` for any thrown value; unexpected errors become a terse 500 and are logged. */
export function sendError(res: http.ServerResponse, e: unknown, log: (msg: string) => void = () => {}): void {
  let status = 500
  let code = 'internal'
  let message = 'internal error'
  if (isPeerFeedError(e)) {
    ;[status, code] = statusOf(e.code)
    // An unmapped error is ours, not the requester's: its message may hold local paths or file content.
    if (status === 500) log(`unmapped error ${e.code}: ${e.message}`)
    else message = e.message
  } else {
    log(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  }
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {}
  if (status === 413 || status === 408) headers.connection = 'close'
  sendJson(res, status, JSON.stringify({ error: { code, message } }), headers)
}
