// Serves dist/ with http-server's file handler: index.html for folders but no listings, no dotfiles (except .well-known), nothing outside dist/.
import type http from 'node:http'
import { createRequire } from 'node:module'
import { PeerFeedError } from '../errors.ts'

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void
const require = createRequire(import.meta.url)
// http-server's own createServer compares its flags to the string 'false', so we use its core handler directly.
const httpServerCore = require('http-server/lib/core') as (opts: Record<string, unknown>) => Middleware

/** Throws BAD_PATH / NOT_FOUND for paths that must never reach the file system. */
export function checkStaticPath(rawUrl: string): void {
  const q = rawUrl.indexOf('?')
  const raw = q < 0 ? rawUrl : rawUrl.slice(0, q)
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    throw new PeerFeedError('BAD_PATH', 'the path is not valid percent-encoding.')
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) throw new PeerFeedError('BAD_PATH', 'bad path.')
  const segments = decoded.split('/')
  if (segments.some((s) => s === '..' || s === '.')) throw new PeerFeedError('BAD_PATH', 'paths may not contain . or .. segments.')
  if (segments.some((s, i) => s.startsWith('.') && !(i === 1 && s === '.well-known'))) throw new PeerFeedError('NOT_FOUND', 'not found.')
}

/** A middleware serving files under `root` (a path or symlink resolved at each request, so a swapped dist/ is seen). */
export function staticFiles(root: string): Middleware {
  return httpServerCore({
    root,
    showDir: false,
    autoIndex: true, // index.html for a folder (the site needs it); never a listing (showDir)
    showDotfiles: false,
    cache: 'no-cache',
    gzip: false,
    defaultExt: 'html',
    handleError: false,
  })
}
