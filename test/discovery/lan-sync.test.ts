// The LAN through the real CLI, between two network namespaces: `serve --mdns` in one, `discover` and `sync`
// (a friend followed by key alone) in the other.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BIN, cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'
import { vethPair } from './netns.ts'

const test = suite('discovery: the LAN through the CLI')
const t = testIf(test, need.netns())

test('serve --mdns on loopback says there is nothing to announce and how to fix it', async () => {
  const alice = await makeFeed('alice')
  try {
    const r = await cli(['serve', '--mdns', '--port', '0', '--root', alice.layout.root])
    assert.is(r.code, 1)
    assert.match(r.stderr, /--mdns: the server listens on 127\.0\.0\.1 only, so nobody on the LAN could connect/)
    assert.match(r.stderr, /--host 0\.0\.0\.0/)
  } finally {
    await alice.close()
  }
})

t('a friend serving with --mdns is listed by discover (signature valid) and synced without a URL', async () => {
  let alice: TestFeed | undefined, bob: TestFeed | undefined
  const net = vethPair('s')
  try {
    ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
    await alice.befriend(bob)
    await bob.befriend(alice)
    await alice.post({ text: 'hello from across the LAN' })
    await alice.post({ text: 'a secret for bob', to: ['bob'] })
    await alice.build()

    const serve = net.run(net.a, BIN, [
      'serve',
      '--mdns',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--decrypt-workers',
      '0',
      '--root',
      alice.layout.root,
    ])
    const announced = await serve.line(/^announced on the LAN as /)
    assert.match(announced, `"Alice (${alice.fingerprint.slice(0, 8).toUpperCase()})"`)

    const d = await net.exec(net.b, BIN, ['discover', '--json', '--timeout', '2500', '--root', bob.layout.root])
    assert.is(d.code, 0, d.stderr)
    const feeds = JSON.parse(d.stdout) as Array<Record<string, unknown>>
    const seen = feeds.find((f) => f.fingerprint === alice!.fingerprint)
    assert.ok(seen, `alice not listed: ${d.stdout}`)
    assert.is(seen.friend, 'alice')
    assert.is(seen.signature, 'valid')
    assert.is(seen.keyFrom, 'keys/alice.asc')
    assert.match(String(seen.address), new RegExp(`^${net.a.addr.replace(/\./g, '\\.')}:\\d+$`))

    const f = await cli(['follow', 'alice', '--root', bob.layout.root])
    assert.is(f.code, 0, f.stderr)
    const s = await net.exec(net.b, BIN, ['sync', '--root', bob.layout.root])
    assert.is(s.code, 0, s.stdout + s.stderr)
    assert.match(s.stdout, 'alice: 2 new, 0 updated, 0 deleted, 0 rejected')
    assert.match(s.stderr, new RegExp(`asking http://${net.a.addr.replace(/\./g, '\\.')}:\\d+/ for updates`))
    assert.not.match(s.stderr, /\(dht\)/, 'the DHT was looked at although the LAN answered')
    const files = (await fs.readdir(bob.layout.inbox, { recursive: true })).map(String).filter((x) => x.endsWith('.yaml'))
    const text = (await Promise.all(files.map((x) => fs.readFile(path.join(bob!.layout.inbox, x), 'utf8')))).join('\n')
    assert.match(text, 'hello from across the LAN')
    assert.match(text, 'a secret for bob')

    serve.proc.kill('SIGTERM')
    await serve.line(/^stopped$/, 5000)
    await serve.stop()
    assert.is(serve.proc.exitCode, 0)
  } finally {
    await net.close()
    await Promise.all([alice?.close(), bob?.close()])
  }
})

test.run()
