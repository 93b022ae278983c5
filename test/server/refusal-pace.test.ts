// An address whose update requests keep being refused gets its next refusals late (held), and when too many are
// held, its connections are dropped; a friend's answered requests from the same address are never held.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, readPublicKey, readSecretKey } from '../../src/crypto/index.ts'
import { refusalPace } from '../../src/server/refusal-pace.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const unit = suite('refusalPace')

unit('a burst of refusals goes out at once, then each is held; the bucket refills with time', () => {
  const pace = refusalPace({ rate: 1, burst: 2 }, { delayMs: 500, maxHeld: 2 })
  assert.is(pace.delay('a', 0), 0)
  assert.is(pace.delay('a', 0), 0)
  assert.is(pace.delay('a', 0), 500)
  assert.is(pace.delay('b', 0), 0, 'another address has its own bucket')
  assert.is(pace.delay('a', 0), 500)
  assert.is(pace.delay('a', 0), undefined, 'past maxHeld, the connection is dropped')
  pace.released()
  assert.is(pace.held(), 1)
  assert.is(pace.delay('a', 1000), 0, 'a second later one refusal goes out at once again')
})

unit('delayMs 0 never holds anything', () => {
  const pace = refusalPace({ rate: 0, burst: 0 }, { delayMs: 0 })
  for (let i = 0; i < 5; i++) assert.is(pace.delay('a', 0), 0)
})

const test = suite('refusals held, a friend answered at once')
let alice: TestFeed, bob: TestFeed, server: RunningServer

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.build()
  // two refusals at once, then each held for a minute (far longer than this test runs)
  server = await alice.serve({ refusals: { rate: 0.0001, burst: 2 }, refusalDelayMs: 60_000 })
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

const post = (body: string) =>
  fetch(new URL('api/v1/updates', server.url), { method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body })

test('garbage past the burst is held; the friend from the same address is answered meanwhile', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await post('hello')
    assert.is(r.status, 400)
    assert.is(((await r.json()) as { error: { code: string } }).error.code, 'not_armored')
  }
  let heldDone = false
  const held = post('hello').then(
    (r) => {
      heldDone = true
      return r.status
    },
    () => {
      heldDone = true
      return 0
    },
  )
  const to = await readPublicKey(await fs.readFile(alice.layout.selfPublicKey, 'utf8'))
  const signer = await readSecretKey(await fs.readFile(bob.layout.selfSecretKey, 'utf8'))
  const request = JSON.stringify({
    since: null,
    limit: 100,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
  })
  const friend = await post(await encryptAndSign({ data: request, to: [to], signer }))
  assert.is(friend.status, 200)
  assert.is(((await friend.json()) as { pages: string[] }).pages.length, 1)
  assert.not.ok(heldDone, 'the third refusal is still held while the friend was answered')
  // closing the server ends the held connection: no timer keeps the process alive
  await server.close()
  assert.is(await held, 0)
})

unit.run()
test.run()
