// A fetch() over the DHT: what sync's routes expect, answered by dhtClient().fetchFrom(fingerprint, path).
import type { Fetch } from '../sync/transport.ts'
import type { DhtClient } from './dht-client.ts'

/** Only the path and query of `url` are used: the host is the friend, reached by fingerprint. */
export function dhtFetch(client: DhtClient, fingerprint: string, { timeoutMs = 10 * 60_000 } = {}): Fetch {
  return async (url, init = {}) => {
    const u = new URL(url)
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v
    })
    const body =
      init.body == null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : init.body instanceof Uint8Array
            ? Buffer.from(init.body)
            : Buffer.from(await new Response(init.body).arrayBuffer())
    // The caller's signal (sync's per-request timeout) governs; timeoutMs is only a backstop.
    const r = await client.fetchFrom(fingerprint, u.pathname + u.search, {
      method: init.method ?? 'GET',
      headers,
      body,
      timeoutMs,
      signal: init.signal ?? undefined,
    })
    const out = new Headers()
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v)
    const empty = r.status === 204 || r.status === 304 || init.method === 'HEAD'
    return new Response(empty ? null : (r.body as unknown as BodyInit), { status: r.status, headers: out })
  }
}
