// Answers and request bodies for the app: JSON with a status, bounded bodies, errors mapped to HTTP in one place.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isPeerFeedError } from '../errors.ts'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message)
  }
}

/** Security headers every answer carries: nothing from elsewhere, no framing, no sniffing. */
export const BASE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof HttpError) {
    sendJson(res, e.status, { error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } })
    return
  }
  if (isPeerFeedError(e)) {
    const status = /^(NOT_FOUND|NO_POST|UNKNOWN_AUTHOR)$/.test(e.code) ? 404 : /^(GIT_FAILED|BUILD_FAILED)$/.test(e.code) ? 500 : 400
    sendJson(res, status, { error: { code: e.code, message: e.message } })
    return
  }
  if (process.env.PEERFEED_DEBUG) console.error(e)
  sendJson(res, 500, { error: { code: 'INTERNAL', message: 'something went wrong in the app; see its terminal' } })
}

/** The request body, refused beyond `max` bytes. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > max) throw new HttpError(413, 'TOO_LARGE', `the upload is larger than ${Math.round(max / 1e6)} MB`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > max) throw new HttpError(413, 'TOO_LARGE', `the upload is larger than ${Math.round(max / 1e6)} MB`)
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: IncomingMessage, max = 1_000_000): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'NOT_JSON', 'send JSON (Content-Type: application/json)')
  let v: unknown
  try {
    v = JSON.parse((await readBody(req, max)).toString('utf8'))
  } catch (e) {
    if (e instanceof HttpError) throw e
    throw new HttpError(400, 'BAD_JSON', 'the request body is not valid JSON')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'BAD_JSON', 'the request body must be a JSON object')
  return v as Record<string, unknown>
}
