// The app's pages: the login link, the static client (HTML, CSS, ES modules, all local) and the one page shell that
// the client's router fills. Without a session every page is a short note saying how to get in.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE_HEADERS, HttpError } from './http.ts'
import type { Request, Router } from './router.ts'

const STATIC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static')
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

export function routes(r: Router) {
  r.get(
    '/login',
    (q) => {
      const s = q.app.sessions.redeem(q.url.searchParams.get('token') ?? '')
      if (!s) return html(q, 401, loginNote('This login link was already used or is not valid.'))
      q.res.writeHead(303, { ...BASE_HEADERS, 'set-cookie': q.app.sessions.cookieFor(s), location: '/' })
      q.res.end()
    },
    { auth: false },
  )
  r.get(
    '/static/*',
    (q) => {
      const rel = q.params['*']
      const file = path.resolve(STATIC, rel)
      if (!file.startsWith(STATIC + path.sep) || !TYPES[path.extname(file)] || !fs.existsSync(file))
        throw new HttpError(404, 'NOT_FOUND', 'no such file')
      const body = fs.readFileSync(file)
      q.res.writeHead(200, {
        ...BASE_HEADERS,
        'cache-control': 'no-cache',
        'content-type': TYPES[path.extname(file)],
        'content-length': body.length,
      })
      q.res.end(body)
    },
    { auth: false },
  )
  // every other page is the shell; the client's router picks the view (so new views need no server change)
  r.get('/*', (q) => {
    if (/^\/(api|media|static)\//.test(q.url.pathname)) throw new HttpError(404, 'NOT_FOUND', 'nothing here')
    return html(q, 200, fs.readFileSync(path.join(STATIC, 'index.html'), 'utf8'))
  })
}

export function html(q: Request, status: number, body: string) {
  q.res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  q.res.end(body)
}

/** The whole page a visitor without a session sees. */
export function loginNote(why = 'You are not logged in to this app.'): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PeerFeed — log in</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="note"><h1>PeerFeed</h1><p>${why}</p>
<p>Open the link that <code>peerfeed app</code> printed in your terminal. Each link works once; run <code>peerfeed app</code> again for a new one.</p></main></body></html>
`
}
