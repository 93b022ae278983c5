// How sync reaches a friend: a fetch-like function and a base URL per route (the URL; LAN and DHT plug in here).
import type { PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** One way to reach a friend's server or static host. */
export interface Route {
  /** for messages: 'url', 'lan', 'dht', … */
  via: string
  /** base URL ending in '/', against which protocol paths are resolved */
  base: string
  fetch: Fetch
  /** how to name the route in progress lines and reports when `base` says little (a DHT stream); default `base` */
  label?: string
}

/**
 * A route found only when its turn comes (a LAN or DHT lookup): sync calls `open()` after every earlier route
 * failed, never before. `open()` throws UNREACHABLE (with the reason) when it finds nothing.
 */
export interface LazyRoute {
  via: string
  open(): Promise<Route>
}

export interface FollowTarget {
  name: string
  url?: string
  /** the friend's key fingerprint (sync always sets it) */
  fingerprint?: string
  /** the key their answers must be signed with: lets a LAN lookup check a signed announcement */
  key?: PublicKey
}

/** Routes to try in order; discovery adds LAN and DHT resolvers after the URL one. */
export type RouteResolver = (target: FollowTarget) => Promise<Array<Route | LazyRoute>>

export const isLazy = (r: Route | LazyRoute): r is LazyRoute => typeof (r as LazyRoute).open === 'function'
export const labelOf = (r: Route) => r.label ?? r.base

export const urlRoutes =
  (fetch: Fetch = globalThis.fetch as Fetch): RouteResolver =>
  async (t) =>
    t.url ? [{ via: 'url', base: t.url.endsWith('/') ? t.url : `${t.url}/`, fetch }] : []

/** Tries each resolver and concatenates their routes, in order. */
export const chainRoutes =
  (...resolvers: RouteResolver[]): RouteResolver =>
  async (t) =>
    (await Promise.all(resolvers.map((r) => r(t).catch(() => [] as Route[])))).flat()

const SHORT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
}

/** Why a route failed, in a few words: the network error under fetch's "fetch failed", else the message. */
export function whyUnreachable(e: unknown): string {
  for (let c = e as (Error & { code?: string; cause?: unknown }) | undefined, depth = 0; c && depth < 4; c = c.cause as typeof c, depth++) {
    if (depth > 0 && c instanceof PeerFeedError) return c.message
    if (c.name === 'TimeoutError') return 'timed out'
    if (c.code && SHORT[c.code]) return SHORT[c.code]
  }
  return (e as Error)?.message ?? String(e)
}

export interface Got {
  status: number
  contentType: string
  body: Buffer
}

/** One request with a timeout and a cap on the answer's size; network failures become UNREACHABLE. */
export async function request(route: Route, path: string, init: RequestInit & { maxBytes: number; timeoutMs?: number }): Promise<Got> {
  const url = new URL(path, route.base).href
  const { maxBytes, timeoutMs = 30_000, ...rest } = init
  let res: Response
  try {
    res = await route.fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) })
  } catch (cause) {
    throw new PeerFeedError(
      'UNREACHABLE',
      `cannot reach ${url} (${route.via}): ${(cause as Error).message}${(cause as Error & { cause?: Error }).cause ? ` (${(cause as Error & { cause: Error }).cause.message})` : ''}`,
      { cause },
    )
  }
  const declared = Number(res.headers.get('content-length'))
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {})
    throw new PeerFeedError('ANSWER_TOO_LARGE', `${url} answered ${declared} bytes, more than the ${maxBytes} allowed; refusing it.`)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length
        if (size > maxBytes)
          throw new PeerFeedError('ANSWER_TOO_LARGE', `${url} sent more than the ${maxBytes} bytes allowed; refusing it.`)
        chunks.push(chunk)
      }
    }
  } catch (cause) {
    if (cause instanceof PeerFeedError) throw cause
    throw new PeerFeedError('UNREACHABLE', `the answer from ${url} was cut off: ${(cause as Error).message}`, { cause })
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.concat(chunks) }
}

/** Parses a JSON answer; anything else is BAD_ANSWER naming the URL. */
export function jsonOf<T>(got: Got, what: string): T {
  try {
    return JSON.parse(got.body.toString('utf8')) as T
  } catch {
    throw new PeerFeedError(
      'BAD_ANSWER',
      `${what} is not JSON (HTTP ${got.status}, ${got.body.length} bytes); the friend's server is broken or is not a PeerFeed server.`,
    )
  }
}

/**
 * A static host, not a PeerFeed server (docs/protocol.md, "Static hosts"): HTTP 404, 405 or 501 (Python's
 * http.server answers an unknown POST with 501) whose body is not a PeerFeed error, or is one with the code
 * `not_found` or `method_not_allowed`.
 */
export function isStaticHostAnswer(got: Got): boolean {
  if (got.status !== 404 && got.status !== 405 && got.status !== 501) return false
  const code = errorCodeOf(got)
  return code === undefined || code === 'not_found' || code === 'method_not_allowed'
}

/** The `{error:{code}}` of a PeerFeed error answer, if it is one. */
export function errorCodeOf(got: Got): string | undefined {
  if (got.status < 400 || !got.contentType.includes('json')) return undefined
  try {
    const e = JSON.parse(got.body.toString('utf8')) as { error?: { code?: unknown } }
    return typeof e?.error?.code === 'string' ? e.error.code : undefined
  } catch {
    return undefined
  }
}
