// Reaches a friend by fingerprint alone: looks up the DHT topic, connects, and speaks HTTP over the stream.
import http from 'node:http'
import DHT, { type NoiseStream } from 'hyperdht'
import { PeerFeedError } from '../errors.ts'
import { normaliseFingerprint, parseBootstrap, topicFor, type HostPort } from './dht-topic.ts'
import { toNodeDuplex } from './node-duplex.ts'

export interface DhtClientOptions {
  bootstrap?: Array<HostPort | string> | string
  timeoutMs?: number
  host?: string
}
export interface FetchInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs?: number
  signal?: AbortSignal
}
export interface DhtResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}
export interface DhtClient {
  fetchFrom(fingerprint: string, path: string, init?: FetchInit): Promise<DhtResponse>
  close(): Promise<void>
}

/** One DHT node and one keep-alive connection per friend, reused across requests until close(). */
export function dhtClient(opts: DhtClientOptions = {}): DhtClient {
  const dht = new DHT({ bootstrap: parseBootstrap(opts.bootstrap), host: opts.host })
  const agents = new Map<string, http.Agent>()
  const pending = new Set<AbortController>()

  function agentFor(fpr: string): http.Agent {
    let agent = agents.get(fpr)
    if (agent) return agent
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    // Each new socket is a fresh lookup + Noise connection; closing the socket abandons a lookup in progress.
    agent.createConnection = (() => {
      const ac = new AbortController()
      pending.add(ac)
      const socket = toNodeDuplex(connectTo(dht, topicFor(fpr), ac.signal))
      socket.on('close', () => {
        ac.abort()
        pending.delete(ac)
      })
      return socket
    }) as unknown as http.Agent['createConnection']
    agents.set(fpr, agent)
    return agent
  }

  return {
    async fetchFrom(fingerprint, path, init = {}) {
      const fpr = normaliseFingerprint(fingerprint)
      const ms = init.timeoutMs ?? opts.timeoutMs ?? 10_000
      return new Promise<DhtResponse>((resolve, reject) => {
        const req = http.request({ agent: agentFor(fpr), host: fpr, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            clearTimeout(timer)
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
          })
          res.on('error', (e) => req.destroy(e))
        })
        const timer = setTimeout(
          () =>
            req.destroy(
              new PeerFeedError(
                'DHT_TIMEOUT',
                `no answer from ${fpr} through the DHT within ${ms} ms: the friend is offline, not serving with --dht, or on another DHT (check --bootstrap)`,
              ),
            ),
          ms,
        )
        const onAbort = () =>
          req.destroy(
            new PeerFeedError(
              'DHT_ABORTED',
              `the request to ${fpr} over the DHT was cancelled (${String(init.signal?.reason?.message ?? 'aborted')})`,
            ),
          )
        if (init.signal?.aborted) onAbort()
        init.signal?.addEventListener('abort', onAbort, { once: true })
        req.on('close', () => init.signal?.removeEventListener('abort', onAbort))
        req.on('error', (e) => {
          clearTimeout(timer)
          reject(
            e instanceof PeerFeedError
              ? e
              : new PeerFeedError('DHT_FETCH_FAILED', `request to ${fpr} over the DHT failed: ${e.message}`, { cause: e }),
          )
        })
        req.end(init.body)
      })
    },
    async close() {
      for (const ac of pending) ac.abort()
      for (const a of agents.values()) a.destroy()
      agents.clear()
      await dht.destroy()
    },
  }
}

/** Looks the topic up until a peer accepts a connection; retries with backoff because announces take a moment. */
async function connectTo(dht: DHT, topic: Buffer, signal: AbortSignal): Promise<NoiseStream> {
  const tried = new Set<string>()
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    if (signal.aborted) throw new PeerFeedError('DHT_ABORTED', 'the DHT connection attempt was cancelled')
    const query = dht.lookup(topic)
    const stop = () => query.destroy()
    signal.addEventListener('abort', stop, { once: true })
    try {
      for await (const reply of query) {
        for (const peer of reply.peers) {
          const key = peer.publicKey.toString('hex')
          if (tried.has(key)) continue
          tried.add(key)
          const stream = dht.connect(peer.publicKey, { relayAddresses: peer.relayAddresses })
          stream.on('error', () => {}) // a failed attempt just moves on to the next peer
          const drop = () => stream.destroy()
          signal.addEventListener('abort', drop, { once: true })
          const ok = await stream.opened
          signal.removeEventListener('abort', drop)
          if (ok) return stream
        }
      }
    } catch {
      /* a lookup that fails (network hiccup) is retried below */
    } finally {
      signal.removeEventListener('abort', stop)
      query.destroy()
    }
    tried.clear()
    await new Promise((r) => {
      const t = setTimeout(r, wait)
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t)
          r(null)
        },
        { once: true },
      )
    })
  }
}
