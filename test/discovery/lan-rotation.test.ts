// `key rotate` while `serve --mdns` runs (no restart), between two network namespaces: the server announces the new
// key beside the old one; a friend who knows the old key finds it, moves to the new key, then finds it by that.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readPublicKey } from '../../src/crypto/index.ts'
import { BIN, cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'
import { vethPair } from './netns.ts'

const test = suite('discovery: key rotation on the LAN')
const t = testIf(test, need.netns())

t('serve --mdns announces the new key too after `key rotate`, and a friend follows it there', async () => {
  let ada: TestFeed | undefined, bob: TestFeed | undefined
  const net = vethPair('r')
  try {
    ;[ada, bob] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
    await ada.befriend(bob)
    await bob.befriend(ada)
    const p1 = await ada.post({ text: 'before', to: ['bob'] })
    await ada.build()
    const oldFp = ada.fingerprint
    const serve = net.run(net.a, BIN, ['serve', '--mdns', '--host', '0.0.0.0', '--port', '0', '--root', ada.layout.root])
    await serve.line(/^announced on the LAN as /)
    assert.is((await cli(['follow', 'ada', '--root', bob.layout.root])).code, 0)
    const s0 = await net.exec(net.b, BIN, ['sync', '--no-dht', '--root', bob.layout.root])
    assert.is(s0.code, 0, s0.stdout + s0.stderr)
    assert.equal(await bob.inbox('ada'), [p1])

    const rotated = await cli(['key', 'rotate', '--root', ada.layout.root], { env: { PEERFEED_PASSPHRASE: '' } })
    assert.is(rotated.code, 0, rotated.stderr)
    const newFp = (await readPublicKey(await fs.readFile(ada.layout.selfPublicKey, 'utf8'))).fingerprint
    const p2 = await ada.post({ text: 'after', to: ['bob'] })
    await ada.build()
    const again = await serve.line(/^announced on the LAN as .* too/, 30_000)
    assert.match(again, `(${newFp.slice(0, 8).toUpperCase()})`)

    const d = await net.exec(net.b, BIN, ['discover', '--json', '--timeout', '2500', '--root', bob.layout.root])
    const feeds = JSON.parse(d.stdout) as Array<Record<string, unknown>>
    assert.is(feeds.find((f) => f.fingerprint === oldFp)?.signature, 'valid', d.stdout)
    assert.ok(
      feeds.some((f) => f.fingerprint === newFp),
      d.stdout,
    )

    // Bob knows the old key: found by it, handed over in the answer
    const s1 = await net.exec(net.b, BIN, ['sync', '--no-dht', '--root', bob.layout.root])
    assert.is(s1.code, 0, s1.stdout + s1.stderr)
    assert.match(s1.stdout + s1.stderr, 'moved to a new key')
    assert.is((await readPublicKey(await fs.readFile(path.join(bob.layout.keys, 'ada.asc'), 'utf8'))).fingerprint, newFp)
    // then found by the new key
    const p3 = await ada.post({ text: 'later', to: ['bob'] })
    await ada.build()
    const s2 = await net.exec(net.b, BIN, ['sync', '--no-dht', '--root', bob.layout.root])
    assert.is(s2.code, 0, s2.stdout + s2.stderr)
    assert.match(s2.stdout, 'ada: 1 new')
    assert.equal(await bob.inbox('ada'), [p1, p2, p3].sort())

    serve.proc.kill('SIGTERM')
    await serve.line(/^stopped$/, 5000)
    await serve.stop()
    assert.is(serve.proc.exitCode, 0)
  } finally {
    await net.close()
    await Promise.all([ada?.close(), bob?.close()])
  }
})

test.run()
