// How sync reaches a friend: a fetch-like function and a base URL per route (URL today; LAN and DHT plug in here).
import { PeerFeedError } from '../errors.ts'

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** One way to reach a friend's server or static host. */
export interface Route {
  /** for messages: 'url', 'lan', 'dht', … */
  via: string
  /** base URL ending in '/', against which protocol paths are resolved */
  base: string
  fetch: Fetch
}

export interface FollowTarget {
  name: string
  url?: string
  fingerprint?: string
}

/** Routes to try in order; discovery adds LAN and DHT resolvers after the URL one. */
export type RouteResolver = (target: FollowTarget) => Promise<Route[]>

export const urlRoutes = (fetch: Fetch = globalThis.fetch as Fetch): RouteResolver => async (t) =>
  t.url ? [{ via: 'url', base: t.url.endsWith('/') ? t.url : `${t.url}/`, fetch }] : []

/** Tries each resolver and concatenates their routes, in order. */
export const chainRoutes = (...resolvers: RouteResolver[]): RouteResolver => async (t) =>
  (await Promise.all(resolvers.map((r) => r(t).catch(() => [] as Route[])))).flat()

export interface Got { status: number; contentType: string; body: Buffer }

/** One request with a timeout and a cap on the answer's size; network failures become UNREACHABLE. */
export async function request(route: Route, path: string, init: RequestInit & { maxBytes: number; timeoutMs?: number }): Promise<Got> {
  const url = new URL(path, route.base).href
  const { maxBytes, timeoutMs = 30_000, ...rest } = init
  let res: Response
  try {
    res = await route.fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) })
  } catch (cause) {
    throw new PeerFeedError('UNREACHABLE', `cannot reach ${url} (${route.via}): ${(cause as Error).message}${(cause as Error & { cause?: Error }).cause ? ` (${(cause as Error & { cause: Error }).cause.message})` : ''}`, { cause })
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
        if (size > maxBytes) throw new PeerFeedError('ANSWER_TOO_LARGE', `${url} sent more than the ${maxBytes} bytes allowed; refusing it.`)
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
    throw new PeerFeedError('BAD_ANSWER', `${what} is not JSON (HTTP ${got.status}, ${got.body.length} bytes); the friend's server is broken or is not a PeerFeed server.`)
  }
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
