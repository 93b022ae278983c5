// Serves an http.Server over hyperswarm: joins the fingerprint's topic and hands each encrypted stream to node:http.
import type http from 'node:http'
import DHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import { PeerFeedError } from '../errors.ts'
import { parseBootstrap, topicFor, type HostPort } from './dht-topic.ts'
import { toNodeDuplex } from './node-duplex.ts'

export { dhtClient, type DhtClient, type DhtResponse, type FetchInit } from './dht-client.ts'
export { topicFor, parseBootstrap, type HostPort } from './dht-topic.ts'

export interface DhtServeOptions {
  fingerprint: string
  server: http.Server
  /** Bootstrap nodes of the DHT to use; default: the public hyperswarm DHT. */
  bootstrap?: Array<HostPort | string> | string
  /** false when this node is reachable directly (a testnet, a public host); default: let hyperdht find out. */
  firewalled?: boolean
  /** The UDP address to bind, e.g. '127.0.0.1' in tests. */
  host?: string
}

export interface DhtService {
  /** This node's Noise public key, hex (what a client sees as the peer's key). */
  publicKey: string
  topic: Buffer
  /** Also announces another fingerprint's topic on the same node (the owner's new key after `key rotate`). */
  join(fingerprint: string): Promise<void>
  close(): Promise<void>
}

/** Announces `fingerprint`'s topic and answers every incoming stream with `server`; resolves once announced. */
export async function serveOverDht(opts: DhtServeOptions): Promise<DhtService> {
  const topic = topicFor(opts.fingerprint)
  const dht = new DHT({ bootstrap: parseBootstrap(opts.bootstrap), firewalled: opts.firewalled, host: opts.host })
  const swarm = new Hyperswarm({ dht })
  const open = new Set<ReturnType<typeof toNodeDuplex>>()
  swarm.on('connection', (conn) => {
    const socket = toNodeDuplex(conn)
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => {}) // a peer that vanishes mid-request is routine, not a crash
    opts.server.emit('connection', socket)
  })
  try {
    await swarm.join(topic, { server: true, client: false }).flushed()
  } catch (e) {
    await swarm.destroy().catch(() => {})
    throw new PeerFeedError(
      'DHT_ANNOUNCE_FAILED',
      `could not announce on the DHT: ${(e as Error).message}; check the network or the --bootstrap nodes`,
      { cause: e },
    )
  }
  let closing: Promise<void> | null = null
  return {
    publicKey: swarm.keyPair.publicKey.toString('hex'),
    topic,
    async join(fingerprint) {
      await swarm.join(topicFor(fingerprint), { server: true, client: false }).flushed()
    },
    close: () =>
      (closing ??= (async () => {
        for (const s of open) s.destroy()
        await swarm.destroy() // leaves the topic, closes the hyperdht server, destroys the dht node
      })()),
  }
}
