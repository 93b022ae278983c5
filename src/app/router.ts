// A small router: each API area registers its routes (method + pattern with :params) on one Router.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppContext } from './context.ts'
import type { Session } from './session.ts'

export interface Request {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
  session?: Session
  app: AppContext
  /** true when the request came to the LAN address (`--lan`) */
  lan?: boolean
}

/** A handler answers by writing `res`, or returns a value sent as JSON with status 200. */
export type Handler = (r: Request) => Promise<unknown> | unknown

interface Route {
  method: string
  parts: string[]
  handler: Handler
  /** false for routes that work without a session (login, static files) */
  auth: boolean
  /** false: not on the LAN address (the owner's own pages); 'only': only there (pairing) */
  lan?: boolean | 'only'
}

export class Router {
  #routes: Route[] = []

  add(method: string, pattern: string, handler: Handler, { auth = true, lan }: { auth?: boolean; lan?: boolean | 'only' } = {}): this {
    this.#routes.push({ method, parts: pattern.split('/').slice(1), handler, auth, lan })
    return this
  }

  get = (p: string, h: Handler, o?: { auth?: boolean; lan?: boolean | 'only' }) => this.add('GET', p, h, o)
  post = (p: string, h: Handler, o?: { auth?: boolean; lan?: boolean | 'only' }) => this.add('POST', p, h, o)
  put = (p: string, h: Handler, o?: { auth?: boolean; lan?: boolean | 'only' }) => this.add('PUT', p, h, o)
  delete = (p: string, h: Handler, o?: { auth?: boolean; lan?: boolean | 'only' }) => this.add('DELETE', p, h, o)

  /** The route for a method and path with its params; `allowed` lists methods of a path that exists. */
  match(method: string, pathname: string): { route?: Route; params: Record<string, string>; allowed: string[] } {
    const parts = pathname.split('/').slice(1)
    const allowed: string[] = []
    for (const r of this.#routes) {
      const params = matchParts(r.parts, parts)
      if (!params) continue
      if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { route: r, params, allowed }
      allowed.push(r.method)
    }
    return { params: {}, allowed }
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]
    if (p === '*') {
      params['*'] = parts.slice(i).map(safeDecode).join('/')
      return params
    }
    if (i >= parts.length) return undefined
    if (p.startsWith(':')) {
      const v = safeDecode(parts[i])
      if (!v) return undefined
      params[p.slice(1)] = v
    } else if (p !== parts[i]) return undefined
  }
  return parts.length === pattern.length ? params : undefined
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return ''
  }
}
