// HTTP over a local hyperdht testnet: a server reached by fingerprint alone, connection reuse, clear timeouts.
import http from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import { dhtClient, serveOverDht, parseBootstrap, topicFor, type DhtClient, type DhtService } from '../../src/discovery/dht.ts'
import { PeerFeedError } from '../../src/errors.ts'

const FPR = 'aaaabbbbccccddddeeeeffff0000111122223333'
const test = suite('discovery/dht')
const ctx: { testnet?: Testnet; server?: http.Server; service?: DhtService; client?: DhtClient; connections: number } = { connections: 0 }

test.before(async () => {
  ctx.testnet = await createTestnet(3)
  ctx.server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => res.end(JSON.stringify({ method: req.method, url: req.url, body })))
  })
  ctx.server.on('connection', () => ctx.connections++)
  const bootstrap = ctx.testnet.bootstrap
  ctx.service = await serveOverDht({ fingerprint: FPR, server: ctx.server, bootstrap, firewalled: false, host: '127.0.0.1' })
  ctx.client = dhtClient({ bootstrap: bootstrap.map((b) => `${b.host}:${b.port}`), host: '127.0.0.1' })
})

test.after(async () => {
  await ctx.client?.close()
  await ctx.service?.close()
  ctx.server?.close()
  await ctx.testnet?.destroy()
})

test('the topic is sha256 of the versioned fingerprint, case-insensitive', () => {
  assert.is(topicFor(FPR).toString('hex'), topicFor(FPR.toUpperCase()).toString('hex'))
  assert.is(topicFor(FPR).length, 32)
})

test('bootstrap nodes are read from host:port strings and objects; bad ones are refused', () => {
  assert.equal(parseBootstrap('10.0.0.1:49737, [::1]:5000'), [
    { host: '10.0.0.1', port: 49737 },
    { host: '::1', port: 5000 },
  ])
  assert.equal(parseBootstrap([{ host: 'a', port: 1 }]), [{ host: 'a', port: 1 }])
  assert.throws(
    () => parseBootstrap('nohost'),
    (e: PeerFeedError) => e.code === 'BAD_BOOTSTRAP',
  )
})

test('an http server is reached over the DHT by fingerprint alone', async () => {
  const r = await ctx.client!.fetchFrom(FPR, '/api/v1/public?since=0')
  assert.is(r.status, 200)
  assert.equal(JSON.parse(r.body.toString()), { method: 'GET', url: '/api/v1/public?since=0', body: '' })
})

test('a second request reuses the same encrypted connection, and POST bodies arrive', async () => {
  const before = ctx.connections
  const r = await ctx.client!.fetchFrom(FPR, '/api/v1/updates', {
    method: 'POST',
    body: 'sealed',
    headers: { 'content-type': 'application/pgp-encrypted' },
  })
  assert.equal(JSON.parse(r.body.toString()), { method: 'POST', url: '/api/v1/updates', body: 'sealed' })
  assert.is(ctx.connections, before, 'a new connection was opened')
  assert.is(ctx.connections, 1)
})

test('an unknown fingerprint times out with a clear error', async () => {
  const t0 = Date.now()
  const err = await ctx.client!.fetchFrom('9'.repeat(40), '/', { timeoutMs: 400 }).catch((e) => e)
  assert.instance(err, PeerFeedError)
  assert.is(err.code, 'DHT_TIMEOUT')
  assert.match(err.message, /no answer from 9{40} through the DHT within 400 ms/)
  assert.ok(Date.now() - t0 < 2000)
})

test('a fingerprint that is not one is refused before any network work', async () => {
  const err = await ctx.client!.fetchFrom('nope', '/').catch((e) => e)
  assert.is(err.code, 'BAD_FINGERPRINT')
})

test.run()
