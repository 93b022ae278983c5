// POST /api/v1/updates refuses strangers, replays, stale requests and malformed ones, with JSON errors and 4xx.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import * as openpgp from 'openpgp'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, generateIdentity, readPublicKey, readSecretKey, type SecretKey } from '../../src/crypto/index.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('POST /api/v1/updates')
let alice: TestFeed, bob: TestFeed, server: RunningServer
let bobKey: SecretKey
let mallory: SecretKey

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    since: null,
    limit: 100,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
    ...over,
  })

async function sealed(from: SecretKey, plaintext: string): Promise<string> {
  const to = await readPublicKey(await fs.readFile(alice.layout.selfPublicKey, 'utf8'))
  return encryptAndSign({ data: plaintext, to: [to], signer: from })
}

const post = (armored: string, type = 'application/pgp-encrypted') =>
  fetch(new URL('api/v1/updates', server.url), { method: 'POST', headers: { 'content-type': type }, body: armored })

async function expectError(res: Response, status: number, code: string) {
  assert.is(res.status, status)
  assert.match(res.headers.get('content-type') ?? '', 'application/json')
  const j = (await res.json()) as { error: { code: string; message: string } }
  assert.is(j.error.code, code, j.error.message)
}

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.build()
  server = await alice.serve()
  bobKey = await readSecretKey(await fs.readFile(bob.layout.selfSecretKey, 'utf8'))
  mallory = await readSecretKey((await generateIdentity({ name: 'Mallory' })).secretArmored)
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

test('answers a friend with their pages', async () => {
  const res = await post(await sealed(bobKey, body()))
  assert.is(res.status, 200)
  const j = (await res.json()) as { pages: string[]; next: string }
  assert.is(j.pages.length, 1)
  assert.match(j.pages[0], '-----BEGIN PGP MESSAGE-----')
  assert.match(j.next, /^\d+$/)
})

test('a request signed by a key that is not a friend gets 403 unknown_key', async () => {
  await expectError(await post(await sealed(mallory, body())), 403, 'unknown_key')
})

test('the same request twice is refused the second time', async () => {
  const msg = await sealed(bobKey, body())
  assert.is((await post(msg)).status, 200)
  await expectError(await post(msg), 401, 'replayed')
})

test('a request sent more than 5 minutes ago is stale', async () => {
  await expectError(await post(await sealed(bobKey, body({ sentAt: new Date(Date.now() - 6 * 60_000).toISOString() }))), 401, 'stale')
})

test('a request with bad fields gets 400', async () => {
  await expectError(await post(await sealed(bobKey, body({ limit: 'all' }))), 400, 'bad_fields')
  await expectError(await post(await sealed(bobKey, 'not json')), 400, 'bad_json')
})

test('a message naming another key is refused before decrypting; an anonymous one for someone else after trying', async () => {
  const named = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: body() }),
    encryptionKeys: await openpgp.readKey({ armoredKey: bobKey.publicKey.armored }),
  })
  const before = server.stats().refusedBeforeCrypto
  await expectError(await post(named), 400, 'not_for_me')
  assert.is(server.stats().refusedBeforeCrypto, before + 1)
  const toBob = await encryptAndSign({ data: body(), to: [bobKey.publicKey], signer: bobKey })
  await expectError(await post(toBob), 400, 'not_for_me')
})

test('wrong content type, garbage and huge bodies get 4xx JSON', async () => {
  await expectError(await post(await sealed(bobKey, body()), 'text/plain'), 415, 'unsupported_media_type')
  await expectError(await post('hello'), 400, 'not_armored')
  await expectError(await post('-----BEGIN PGP MESSAGE-----\n\n!!!!\n-----END PGP MESSAGE-----\n'), 400, 'not_armored')
  await expectError(await post('-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----\n'), 400, 'not_a_message')
  await expectError(await post('x'.repeat(200_000)), 413, 'too_large')
})

test('bad GETs get 4xx JSON and the server stays up', async () => {
  for (const [p, status] of [
    ['/api/v1/public?limit=abc', 400],
    ['/api/v1/public?since=12ab', 400],
    ['/api/v1/public?type=spam', 400],
    ['/api/v1/nothing', 404],
    ['/.peerfeed/self.secret.asc', 404],
  ] as const) {
    const res = await fetch(new URL(p, server.url))
    assert.is(res.status, status, p)
    assert.ok(((await res.json()) as { error: unknown }).error, p)
  }
  const traversal = await rawGet(server.port, '/../../etc/passwd')
  assert.ok(traversal.startsWith('HTTP/1.1 400'), traversal.split('\r\n')[0])
  const encoded = await rawGet(server.port, '/%2e%2e/%2e%2e/etc/passwd')
  assert.ok(encoded.startsWith('HTTP/1.1 400'), encoded.split('\r\n')[0])
  assert.is((await fetch(new URL('/api/v1/public', server.url))).status, 200)
})

test('per-key rate limit answers 429', async () => {
  const limited = await alice.serve({ perKey: { rate: 0.001, burst: 2 } })
  const to = (url: string, m: string) =>
    fetch(new URL('api/v1/updates', url), { method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body: m })
  const codes: number[] = []
  for (let i = 0; i < 3; i++) codes.push((await to(limited.url, await sealed(bobKey, body()))).status)
  assert.equal(codes, [200, 200, 429])
})

/** A request line sent as is: fetch would normalise the dots away. */
async function rawGet(port: number, p: string): Promise<string> {
  const net = await import('node:net')
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`))
    let out = ''
    s.on('data', (d) => (out += d))
    s.on('end', () => resolve(out))
    s.on('error', reject)
  })
}

test.run()
