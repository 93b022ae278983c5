// Routes one request: the exchange API, or a file from dist/. Every failure becomes a JSON error, never a crash.
import fs from 'node:fs/promises'
import type http from 'node:http'
import path from 'node:path'
import { isPeerFeedError, PeerFeedError } from '../errors.ts'
import { normalizeCursor } from '../protocol/cursor-order.ts'
import type { RefusalPace } from './refusal-pace.ts'
import { sendError, sendJson, statusOf } from './respond.ts'
import type { Snapshot } from './snapshot.ts'
import { assertInside, checkStaticPath, staticFiles } from './static-files.ts'
import { handleUpdates, type UpdatesDeps } from './updates.ts'
import { isPostType } from '../schemas/registry.ts'

export interface RouterDeps extends UpdatesDeps {
  distPath: string
  /** holds the refusals of an address that keeps being refused (refusal-pace.ts) */
  pace?: RefusalPace
  log: (m: string) => void
}

const PUBLIC_MAX = 1000

/** since, limit and type of a public query; throws BAD_QUERY. */
export function parsePublicQuery(search: string): { since: string | null; limit: number; type?: string } {
  const q = new URLSearchParams(search)
  const since = q.get('since')
  const limitRaw = q.get('limit')
  const type = q.get('type') ?? undefined
  let limit = 100
  if (limitRaw !== null) {
    if (!/^\d{1,5}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > PUBLIC_MAX) {
      throw new PeerFeedError('BAD_QUERY', `'limit' must be a whole number from 1 to ${PUBLIC_MAX}.`)
    }
    limit = Number(limitRaw)
  }
  if (type !== undefined && !isPostType(type))
    throw new PeerFeedError('BAD_QUERY', `'type' must be a known post type, not ${JSON.stringify(type.slice(0, 40))}.`)
  return { since: since === null || since === '' ? null : normalizeCursor(since), limit, type }
}

export function router(d: RouterDeps): http.RequestListener {
  const files = staticFiles(d.distPath)
  const publicAnswer = (snap: Snapshot, search: string, res: http.ServerResponse) => {
    const { since, limit, type } = parsePublicQuery(search)
    sendJson(res, 200, snap.publicIndex.answer(since, limit, type))
  }
  /** A refused update request: sent at once, or held when its address keeps being refused (never an answer). */
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, e: unknown) => {
    const ms = d.pace && isPeerFeedError(e) && statusOf(e.code)[0] < 500 ? d.pace.delay(req.socket.remoteAddress ?? '?', d.now()) : 0
    if (ms === 0) return sendError(res, e, d.log)
    if (ms === undefined) return req.socket.destroy() // too many held already: the cheapest refusal
    const pace = d.pace!
    const timer = setTimeout(() => {
      res.off('close', early)
      pace.released()
      sendError(res, e, d.log)
    }, ms)
    const early = () => {
      clearTimeout(timer)
      pace.released()
    }
    res.once('close', early)
  }
  return (req, res) => {
    const fail = (e: unknown) => sendError(res, e, d.log)
    try {
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const pathname = q < 0 ? url : url.slice(0, q)
      if (pathname === '/api/v1/public') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new PeerFeedError('METHOD_NOT_ALLOWED', 'use GET for /api/v1/public.')
        const snap = d.snapshot()
        if (snap instanceof Promise) snap.then((s) => publicAnswer(s, url.slice(pathname.length), res)).catch(fail)
        else publicAnswer(snap, url.slice(pathname.length), res)
        return
      }
      if (pathname === '/api/v1/updates') {
        if (req.method !== 'POST') throw new PeerFeedError('METHOD_NOT_ALLOWED', 'use POST for /api/v1/updates (see docs/protocol.md).')
        handleUpdates(req, d).then(
          (body) => sendJson(res, 200, body),
          (e) => refuse(req, res, e),
        )
        return
      }
      if (pathname.startsWith('/api/v1/')) throw new PeerFeedError('NOT_FOUND', `no API at ${pathname.slice(0, 80)}; see docs/protocol.md.`)
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new PeerFeedError('METHOD_NOT_ALLOWED', 'only GET and HEAD are served here.')
      const decoded = checkStaticPath(url)
      const missing = () => notFound(req, res, d.distPath).catch(() => fail(new PeerFeedError('NOT_FOUND', 'not found.')))
      assertInside(d.distPath, decoded).then(() => files(req, res, missing), fail)
    } catch (e) {
      fail(e)
    }
  }
}

/** A browser asking for a missing page gets the site's own 404 page (dist/404.html) with status 404; programs get JSON. */
async function notFound(req: http.IncomingMessage, res: http.ServerResponse, distPath: string): Promise<void> {
  if (!(req.headers.accept ?? '').includes('text/html')) throw new Error('not a browser')
  const html = await fs.readFile(path.join(distPath, '404.html'))
  if (res.headersSent || res.destroyed) return
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'content-length': html.length, 'cache-control': 'no-cache' })
  res.end(req.method === 'HEAD' ? undefined : html)
}
