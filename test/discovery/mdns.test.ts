// LAN discovery between two network namespaces joined by veth: real multicast, real sockets, nothing on the host's LAN.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { need, testIf } from '../helpers/tools.ts'
import { mdnsPayload } from '../../src/discovery/mdns.ts'
import { vethPair } from './netns.ts'

const test = suite('discovery/mdns')
const t = testIf(test, need.netns())
const FPR = '0123456789abcdef0123456789abcdef01234567'
const KEY = 'test-signing-key'

test('signed payload names the protocol, fingerprint, port and time', () => {
  assert.is(mdnsPayload(FPR.toUpperCase(), 8080, 1700000000), `peerfeed-mdns-v1\n${FPR}\n8080\n1700000000`)
})

t('a friend in another namespace is found by fingerprint; a spoofed announcement is reported invalid', async () => {
  const net = vethPair('m')
  try {
    const adv = net.run(net.a, 'test/discovery/children/lan-advertiser.ts', [FPR, '8471', KEY])
    await adv.line(/^ready$/)
    const disc = net.run(net.b, 'test/discovery/children/lan-discoverer.ts', [FPR, KEY])

    const found = JSON.parse((await disc.line(/^found /)).slice(6))
    assert.is(found.url, `http://${net.a.addr}:8471/`)
    assert.is(found.body, `hello from ${FPR}`)

    const peers = JSON.parse((await disc.line(/^peers /)).slice(6)) as Array<Record<string, unknown>>
    const ada = peers.find((p) => p.name === 'ada')
    const mallory = peers.find((p) => p.name === 'mallory')
    assert.ok(ada, `ada not heard: ${JSON.stringify(peers)}`)
    assert.is(ada.fingerprint, FPR)
    assert.is(ada.port, 8471)
    assert.ok((ada.addresses as string[]).includes(net.a.addr))
    assert.is(ada.signature, 'valid')
    assert.ok(mallory, 'the spoofed announcement was not heard')
    assert.is(mallory.fingerprint, FPR)
    assert.is(mallory.signature, 'invalid')
  } finally {
    await net.close()
  }
})

test.run()
