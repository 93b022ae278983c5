// startServer: one HTTP server for dist/ and the exchange API. Returns { url, port, server, close() }.
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { inThreadDecryptor, type Decryptor } from './decryptor.ts'
import { identityCache } from './identity-cache.ts'
import { withLimits, type Limits } from './limits.ts'
import { ownKeysCache, type OwnKeys } from './own-keys.ts'
import { rateLimiter } from './rate-limit.ts'
import { refusalPace } from './refusal-pace.ts'
import { replayCache } from './replay-cache.ts'
import { router } from './router.ts'
import { snapshotSource } from './snapshot.ts'
import type { UpdatesStats } from './updates.ts'

export interface ServerOptions {
  layout: Layout
  port?: number
  host?: string
  passphrase?: string
  limits?: Partial<Limits>
  now?: () => number
  log?: (m: string) => void
  /** Extensions (discovery adds mdns/dht here) read their own keys; unknown keys are ignored. */
  [extension: string]: unknown
}

export interface RunningServer {
  url: string
  port: number
  server: http.Server
  /** the key the server started with (after `key rotate` it answers under the new one too: see own-keys.ts) */
  fingerprint: string
  /** counters of POST /api/v1/updates */
  stats(): UpdatesStats
  close(): Promise<void>
}

async function makeDecryptor(
  keys: () => Promise<OwnKeys>,
  layout: Layout,
  passphrase: string | undefined,
  workers: number,
  log: (m: string) => void,
): Promise<Decryptor> {
  if (workers <= 0) return inThreadDecryptor(keys)
  const { workerDecryptor } = await import('./decrypt-pool.ts')
  return workerDecryptor({ layout, passphrase, workers, log })
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { layout, port = 8080, host = '127.0.0.1', passphrase, now = () => Date.now(), log = () => {} } = opts
  const limits = withLimits(opts.limits)
  // the owner's keys are reloaded when they change: `key rotate` needs no restart (docs/devices.md)
  const own = ownKeysCache(layout, { passphrase, log })
  const key = (await own.get()).current
  const keys = () => own.get()
  const decryptor = await makeDecryptor(keys, layout, passphrase, limits.decryptWorkers, log)
  const snapshots = snapshotSource(layout, log)
  const known = identityCache(layout, log)
  const stats: UpdatesStats = { received: 0, refusedBeforeCrypto: 0, decrypted: 0, answered: 0 }
  const handler = router({
    stats,
    keys,
    now,
    log,
    distPath: layout.dist,
    bodyLimit: limits.bodyBytes,
    maxPending: limits.maxPending,
    perIp: rateLimiter(limits.perIp, { what: 'update requests from this address' }),
    perKey: rateLimiter(limits.perKey, { what: 'update requests for this key' }),
    pace: refusalPace(limits.refusals, { delayMs: limits.refusalDelayMs }),
    replay: replayCache({ file: path.join(layout.state, 'server', 'nonces.log'), now: now() }),
    decryptor,
    known: () => known.get(),
    snapshot: () => snapshots.get(),
  })
  const server = http.createServer(
    { requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, maxHeaderSize: 16 * 1024 },
    handler,
  )
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  server.on('clientError', (err, socket) => {
    if (!socket.writable) return socket.destroy()
    const body = JSON.stringify({
      error: { code: 'bad_request', message: `malformed HTTP request (${(err as NodeJS.ErrnoException).code ?? err.message})` },
    })
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  })
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => reject(listenError(e, host, port))
      server.once('error', onError)
      server.listen(port, host, () => {
        server.off('error', onError)
        resolve()
      })
    })
  } catch (e) {
    // nothing may keep the process alive after a failed start: the decrypting threads stop too
    await decryptor.close()
    throw e
  }
  // Warm the snapshot so the first request does not pay for loading (a missing build is reported per request).
  await Promise.resolve(snapshots.get()).catch((e) => log(`not serving the API yet: ${(e as Error).message}`))
  const actual = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${actual}/`,
    port: actual,
    server,
    fingerprint: key.fingerprint,
    stats: () => ({ ...stats }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await decryptor.close()
    },
  }
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): PeerFeedError {
  const why =
    e.code === 'EADDRINUSE'
      ? `port ${port} on ${host} is already in use (another server is running there); choose another with --port, e.g. --port ${port === 8080 ? 8081 : 8080}.`
      : e.code === 'EACCES'
        ? `no permission to listen on ${host}:${port}${port < 1024 ? ' (ports below 1024 need administrator rights)' : ''}; choose another with --port, e.g. --port 8080.`
        : e.code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine; use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).`
          : `cannot listen on ${host}:${port}: ${e.message}`
  return new PeerFeedError('LISTEN_FAILED', why, { cause: e })
}
