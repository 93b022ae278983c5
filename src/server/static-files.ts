// Serves dist/ with http-server's file handler: index.html for folders but no listings, no dotfiles (except
// .well-known), nothing outside dist/ — not through `..`, and not through a symlink that points out of it.
import fs from 'node:fs'
import type http from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void
const require = createRequire(import.meta.url)
// http-server's own createServer compares its flags to the string 'false', so we use its core handler directly.
const httpServerCore = require('http-server/lib/core') as (opts: Record<string, unknown>) => Middleware

/** Longer request paths get 414 before the file system sees them (a file name is at most 255 bytes, a path 4096). */
export const MAX_PATH = 1024

/** Throws BAD_PATH / NOT_FOUND / URI_TOO_LONG for paths that must never reach the file system; returns the decoded path. */
export function checkStaticPath(rawUrl: string): string {
  const q = rawUrl.indexOf('?')
  const raw = q < 0 ? rawUrl : rawUrl.slice(0, q)
  if (raw.length > MAX_PATH) throw new PeerFeedError('URI_TOO_LONG', `the path is longer than ${MAX_PATH} characters.`)
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
  return decoded
}

const notFound = () => new PeerFeedError('NOT_FOUND', 'not found.')

/** The real path of `p`, undefined when it does not exist; any other failure is a plain 404 (never a local path). */
async function real(p: string): Promise<string | undefined> {
  try {
    return await fs.promises.realpath(p)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    if (code === 'ENAMETOOLONG') throw new PeerFeedError('URI_TOO_LONG', 'the path is too long.')
    throw notFound()
  }
}

/**
 * Resolves what http-server would serve for `decoded` (the file, a folder's index.html, or the path + .html) and
 * throws NOT_FOUND when that resolves outside the real dist tree (a symlink pointing out of it). A path that does
 * not exist passes: http-server answers 404.
 */
export async function assertInside(root: string, decoded: string): Promise<void> {
  const top = await real(root)
  if (!top) throw new PeerFeedError('NOT_BUILT', 'this feed has not been built yet; the owner should run `peerfeed build`.')
  const inside = (p: string) => p === top || p.startsWith(top + path.sep)
  const candidate = path.join(top, decoded)
  let target = await real(candidate)
  if (target === undefined && !path.extname(decoded)) target = await real(`${candidate}.html`)
  if (target === undefined) return
  if (!inside(target)) throw notFound()
  const st = await fs.promises.stat(target).catch(() => undefined)
  if (st?.isDirectory()) {
    const index = await real(path.join(target, 'index.html'))
    if (index !== undefined && !inside(index)) throw notFound()
  }
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
