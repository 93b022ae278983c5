// A connection that carried a friend's answered request is the friends' lane: its next requests skip the
// per-address limit and the queue for decryption, and are still decrypted, verified and refused like any other.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, generateIdentity, readPublicKey, readSecretKey, type SecretKey } from '../../src/crypto/index.ts'
import { WORKER_INFLIGHT, workerDecryptor } from '../../src/server/decrypt-pool.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('friends lane')
let alice: TestFeed, bob: TestFeed
let bobKey: SecretKey

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.build()
  bobKey = await readSecretKey(await fs.readFile(bob.layout.selfSecretKey, 'utf8'))
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

async function request(from: SecretKey, toArmored?: string): Promise<string> {
  const to = await readPublicKey(toArmored ?? (await fs.readFile(alice.layout.selfPublicKey, 'utf8')))
  const data = JSON.stringify({
    since: null,
    limit: 100,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
  })
  return encryptAndSign({ data, to: [to], signer: from })
}

test('one worker: a friend-lane request is opened before strangers that were queued first (none is starved)', async () => {
  const pool = await workerDecryptor({ layout: alice.layout, workers: 1 })
  try {
    const stranger = await generateIdentity({ name: 'Stranger' })
    const others = await Promise.all(Array.from({ length: WORKER_INFLIGHT + 8 }, () => request(bobKey, stranger.publicArmored)))
    const order: string[] = []
    const settle = (p: Promise<unknown>, name: string) =>
      p.then(
        () => order.push(name),
        () => order.push(name),
      )
    const waits = others.map((m, i) => settle(pool.open(m, [], Date.now()), `other${i}`))
    const friend = settle(pool.open(await request(bobKey), [], Date.now(), { friend: true }), 'friend')
    await Promise.all([...waits, friend])
    assert.is(order.length, others.length + 1)
    const last = `other${others.length - 1}`
    assert.ok(order.indexOf('friend') < order.indexOf(last), `friend after every stranger: ${order.join(' ')}`)
    // those already handed to the worker, then at most one more from the common lane
    assert.ok(order.indexOf('friend') <= WORKER_INFLIGHT + 1, `friend waited behind the queue: ${order.join(' ')}`)
  } finally {
    await pool.close()
  }
})

/** POST on a given agent (keep-alive: one connection reused; false: a new connection). */
function post(
  server: RunningServer,
  body: string,
  agent: http.Agent | false,
): Promise<{ status: number; json: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL('api/v1/updates', server.url),
      { method: 'POST', agent, headers: { 'content-type': 'application/pgp-encrypted', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

test('the per-address limit spares the friend’s connection, not a new one; a stranger on it is refused and ends the lane', async () => {
  // one request per address, ever (for this test's duration)
  const server = await alice.serve({ perIp: { rate: 0.0001, burst: 1 } })
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  try {
    assert.is((await post(server, await request(bobKey), agent)).status, 200)
    assert.is((await post(server, await request(bobKey), agent)).status, 200, 'the same connection again: not rate limited')
    const other = await post(server, await request(bobKey), false)
    assert.is(other.status, 429, 'a new connection from the same address is limited')
    assert.is(other.json.error?.code, 'rate_limited')
    const mallory = await readSecretKey((await generateIdentity({ name: 'Mallory' })).secretArmored)
    const m = await post(server, await request(mallory), agent)
    assert.is(m.status, 403, 'still verified: a stranger’s request on the friend’s connection gets the stranger’s answer')
    assert.is(m.json.error?.code, 'unknown_key')
    // that refusal sent the connection back to the common lane: the address's limit applies to it again
    const after = await post(server, await request(bobKey), agent)
    assert.is(after.status, 429, 'garbage on a friend’s connection does not keep the lane')
  } finally {
    agent.destroy()
  }
})

test.run()
