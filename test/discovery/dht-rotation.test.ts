// `key rotate` while `serve --dht` runs (no restart): a friend who knows the old key still finds the server on the
// old key's topic and learns the new key from the answer; then finds it on the new key's topic.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import { readPublicKey } from '../../src/crypto/index.ts'
import { startDiscovery } from '../../src/discovery/serve-discovery.ts'
import { discoveryRoutes } from '../../src/discovery/sync-routes.ts'
import { rotateSelf } from '../../src/identity/key-life.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('discovery: key rotation over the DHT')
let testnet: Testnet
const closers: (() => Promise<void> | void)[] = []
test.after(async () => {
  for (const c of closers.reverse()) await c()
  await testnet?.destroy()
})

test('a server announced on the DHT before `key rotate` is found under the old key, then under the new one', async () => {
  testnet = await createTestnet(3)
  const [ada, bob]: TestFeed[] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
  closers.push(
    () => ada.close(),
    () => bob.close(),
  )
  await ada.befriend(bob)
  await bob.befriend(ada)
  const p1 = await ada.post({ text: 'before', to: ['bob'] })
  await ada.build()
  const server = await ada.serve()
  const lines: string[] = []
  const d = await startDiscovery(server, {
    layout: ada.layout,
    host: '127.0.0.1',
    dht: { bootstrap: testnet.bootstrap, firewalled: false, host: '127.0.0.1' },
    keyCheckMs: 100,
    log: (l) => lines.push(l),
  })
  closers.push(() => d.close())
  await bob.follow('ada') // no URL: the DHT is the only way
  const found = discoveryRoutes({
    lan: false,
    dht: { bootstrap: testnet.bootstrap.map((b) => `${b.host}:${b.port}`).join(','), host: '127.0.0.1' },
  })
  closers.push(() => found.close())
  const s0 = await bob.sync({ routes: found.routes })
  assert.is(s0.failed, 0, JSON.stringify(s0.friends[0].error))
  assert.equal(await bob.inbox('ada'), [p1])

  const r = await rotateSelf(ada.layout)
  const p2 = await ada.post({ text: 'after', to: ['bob'] })
  await ada.build()
  for (let i = 0; i < 300 && !lines.some((l) => l.includes(`for ${r.new} too`)); i++) await new Promise((ok) => setTimeout(ok, 50))
  assert.ok(
    lines.some((l) => l.includes(`for ${r.new} too`)),
    lines.join('\n'),
  )

  // Bob still knows the old key: its topic still answers, and the answer hands him over
  const s1 = await bob.sync({ routes: found.routes })
  assert.is(s1.failed, 0, JSON.stringify(s1.friends[0].error))
  assert.match(s1.friends[0].via ?? '', /^dht /)
  assert.ok(
    s1.friends[0].notes.some((n) => n.includes('moved to a new key')),
    JSON.stringify(s1.friends[0].notes),
  )
  assert.is((await readPublicKey(await fs.readFile(path.join(bob.layout.keys, 'ada.asc'), 'utf8'))).fingerprint, r.new)

  // now he looks for the new key's topic, and finds the same server there
  const p3 = await ada.post({ text: 'later', to: ['bob'] })
  await ada.build()
  const s2 = await bob.sync({ routes: found.routes })
  assert.is(s2.failed, 0, JSON.stringify(s2.friends[0].error))
  assert.match(s2.friends[0].via ?? '', /^dht /)
  assert.equal(await bob.inbox('ada'), [p1, p2, p3].sort())
})

test.run()
