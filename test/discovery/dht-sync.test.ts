// Sync through the DHT on a local hyperdht testnet: a friend followed by key alone, fall-through from a dead URL,
// and an error that names every route tried when none answers.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import { startDiscovery } from '../../src/discovery/serve-discovery.ts'
import { dhtSettings } from '../../src/discovery/settings.ts'
import { saveConfig } from '../../src/identity/index.ts'
import { discoveryRoutes } from '../../src/discovery/sync-routes.ts'
import { PeerFeedError } from '../../src/errors.ts'
import { follow } from '../../src/sync/index.ts'
import { BIN, cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('discovery: sync over the DHT')
let testnet: Testnet, alice: TestFeed, bob: TestFeed, carol: TestFeed
let bootstrap: string
const closers: (() => Promise<void>)[] = []

/** A loopback port nobody listens on: connecting to it is refused at once. */
async function deadUrl(): Promise<string> {
  const s = http.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise((r) => s.close(r))
  return `http://127.0.0.1:${port}/`
}

async function inboxText(feed: TestFeed, friend: string): Promise<string> {
  const dir = path.join(feed.layout.inbox, friend)
  const files = (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.yaml'))
  return (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join('\n')
}

const reset = async (feed: TestFeed) => {
  await fs.rm(feed.layout.inbox, { recursive: true, force: true })
  await fs.rm(path.join(feed.layout.state, 'sync'), { recursive: true, force: true })
}

test.before(async () => {
  testnet = await createTestnet(3)
  bootstrap = testnet.bootstrap.map((b) => `${b.host}:${b.port}`).join(',')
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await alice.befriend(carol)
  await bob.befriend(alice)
  await bob.befriend(carol)
  await alice.post({ text: 'public hello from alice' })
  await alice.post({ text: 'just for bob', to: ['bob'] })
  await alice.post({ text: 'just for carol', to: ['carol'] })
  await alice.build()
  // Alice serves on loopback only: the DHT is the one way Bob can reach her without her address.
  const server = await alice.serve()
  const d = await startDiscovery(server, {
    layout: alice.layout,
    host: '127.0.0.1',
    dht: { bootstrap: testnet.bootstrap, firewalled: false, host: '127.0.0.1' },
  })
  closers.push(() => d.close())
})

test.after(async () => {
  for (const c of closers.reverse()) await c()
  await Promise.all([alice?.close(), bob?.close(), carol?.close()])
  await testnet?.destroy()
})

test('a friend followed without a URL is synced through the DHT (real CLI): public posts and those for us', async () => {
  const f = await cli(['follow', 'alice', '--root', bob.layout.root])
  assert.is(f.code, 0, f.stderr)
  assert.match(f.stdout, /following "alice" by key [0-9A-F ]+: sync looks for them on the LAN, then on the DHT/)
  const s = await cli(['sync', '--root', bob.layout.root, '--no-lan', '--bootstrap', bootstrap])
  assert.is(s.code, 0, s.stdout + s.stderr)
  assert.match(s.stdout, 'alice: 2 new, 0 updated, 0 deleted, 0 rejected')
  assert.match(s.stderr, /lan: off \(--no-lan\)/)
  assert.match(s.stderr, /asking the DHT \([0-9A-F]{8}…\) for updates/)
  assert.match(s.stderr, 'alice: not reached at its URL or on the LAN; falling back to the DHT…')
  const text = await inboxText(bob, 'alice')
  assert.match(text, 'public hello from alice')
  assert.match(text, 'just for bob')
  assert.not.match(text, 'just for carol')
})

test('a URL that refuses connections falls through to the DHT', async () => {
  await reset(bob)
  await follow(bob.layout, 'alice', await deadUrl())
  const lines: string[] = []
  const found = discoveryRoutes({ lan: false, dht: { bootstrap, host: '127.0.0.1' } })
  try {
    const s = await bob.sync({ routes: found.routes, onProgress: (_n, l) => lines.push(l) })
    assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
    assert.is(s.new, 2)
    assert.match(s.friends[0].via ?? '', /^dht /)
    assert.is(s.friends[0].access, 'private+public')
    assert.ok(
      lines.some((l) => /^url http:\/\/127\.0\.0\.1:\d+\/: connection refused$/.test(l)),
      lines.join('\n'),
    )
  } finally {
    await found.close()
  }
})

test('when the URL answers, the LAN and the DHT are never looked at', async () => {
  await reset(bob)
  const url = (await alice.serve()).url
  await follow(bob.layout, 'alice', url)
  // Unreachable discovery settings with long timeouts: touching either would cost seconds.
  const found = discoveryRoutes({ lan: { timeoutMs: 5000 }, dht: { bootstrap: '127.0.0.1:9', timeoutMs: 5000 } })
  try {
    const t0 = Date.now()
    const s = await bob.sync({ routes: found.routes })
    assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
    assert.is(s.new, 2)
    assert.is(s.friends[0].via, `url ${url}`)
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`)
  } finally {
    await found.close()
  }
})

test('when nothing answers, the error names every route tried and why it failed', async () => {
  // Carol is Bob's friend but serves nowhere: not at her URL, not on the LAN, not on this DHT.
  const dead = await deadUrl()
  await follow(bob.layout, 'carol', dead)
  const found = discoveryRoutes({ lan: { timeoutMs: 300 }, dht: { bootstrap, host: '127.0.0.1', timeoutMs: 500 } })
  try {
    const s = await bob.sync({ names: ['carol'], routes: found.routes })
    const err = s.friends[0].error
    assert.is(err?.code, 'UNREACHABLE')
    const fpr = carol.fingerprint.slice(0, 8).toUpperCase()
    assert.is(
      err?.message,
      `could not reach carol: url ${dead}: connection refused; lan: no signed announcement of ${fpr}… within 0.3 s; dht: no peer on the topic of ${fpr}… answered within 0.5 s`,
    )
  } finally {
    await found.close()
  }
  const off = await cli(['sync', 'carol', '--root', bob.layout.root, '--no-lan', '--no-dht'])
  assert.is(off.code, 1)
  assert.match(
    off.stdout,
    `carol: FAILED (could not reach carol: url ${dead}: connection refused; lan: off (--no-lan); dht: off (--no-dht))`,
  )
})

test('`serve --dht` and `sync` read the bootstrap nodes from peerfeed.yaml; SIGINT stops the server cleanly', async () => {
  const dave = await makeFeed('dave')
  closers.push(() => dave.close())
  await dave.post({ text: 'dave, over the DHT of peerfeed.yaml' })
  await dave.build()
  await bob.befriend(dave)
  // Dave's server is reachable directly (loopback), which a testnet cannot detect: say so in the config.
  await saveConfig(dave.layout, { dht: { bootstrap: bootstrap.split(','), firewalled: false } })
  await saveConfig(bob.layout, { dht: { bootstrap: bootstrap.split(',') } })
  const serve = spawn(process.execPath, [BIN, 'serve', '--dht', '--port', '0', '--decrypt-workers', '0', '--root', dave.layout.root])
  let out = ''
  serve.stdout.on('data', (d) => (out += d))
  serve.stderr.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => serve.on('close', (code) => r(code)))
  try {
    for (let i = 0; i < 300 && !/^answering on the DHT of 127\.0\.0\.1:\d+/m.test(out); i++) await new Promise((r) => setTimeout(r, 50))
    assert.match(out, /^answering on the DHT of 127\.0\.0\.1:\d+/m)
    assert.is((await cli(['follow', 'dave', '--root', bob.layout.root])).code, 0)
    const s = await cli(['sync', 'dave', '--root', bob.layout.root, '--no-lan'])
    assert.is(s.code, 0, s.stdout + s.stderr)
    assert.match(s.stdout, 'dave: 1 new')
  } finally {
    serve.kill('SIGINT')
  }
  assert.is(await exited, 0, out)
  assert.match(out, /^stopped$/m)
})

test('a bad dht setting in peerfeed.yaml is named; a --bootstrap flag wins over the file', async () => {
  await saveConfig(bob.layout, { dht: { bootstrap: ['no-port-here'] } })
  const err = await dhtSettings(bob.layout).catch((e) => e)
  assert.is(err.code, 'BAD_CONFIG')
  assert.match(err.message, /peerfeed\.yaml: dht\.bootstrap: bootstrap node 'no-port-here' is not host:port/)
  assert.equal(await dhtSettings(bob.layout, '10.0.0.1:49737'), { bootstrap: [{ host: '10.0.0.1', port: 49737 }] })
  await saveConfig(bob.layout, { dht: undefined })
  assert.equal(await dhtSettings(bob.layout), {})
})

test('following someone who is not a friend needs a URL: there is no key to look for', async () => {
  const err = await follow(bob.layout, 'stranger').catch((e) => e)
  assert.instance(err, PeerFeedError)
  assert.is(err.code, 'NO_URL')
  assert.match(err.message, /peerfeed peer add stranger KEY/)
})

test.run()
