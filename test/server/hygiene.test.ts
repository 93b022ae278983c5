// What a requester can learn or replay: a broken block list refuses everyone and says nothing about it; long paths
// and symlinks out of dist/ get 4xx JSON without local paths; a restart does not reopen replays; a request
// re-wrapped for another server is refused.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decryptAndVerify, encryptAndSign } from '../../src/crypto/index.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('server: what requesters can learn or replay')
let alice: TestFeed, bob: TestFeed, carol: TestFeed, server: RunningServer
const cleanup: string[] = []

test.before(async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await carol.befriend(bob)
  await alice.post({ text: 'for bob', to: ['bob'] })
  await carol.post({ text: 'carol for bob', to: ['bob'] })
  await alice.build()
  await carol.build()
  server = await alice.serve()
})
test.after(async () => {
  for (const d of cleanup) await fs.rm(d, { recursive: true, force: true })
  await alice?.close()
  await bob?.close()
  await carol?.close()
})

const request = (to: TestFeed) =>
  JSON.stringify({
    since: null,
    limit: 100,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: to.fingerprint,
  })
const post = (url: string, body: string) =>
  fetch(new URL('api/v1/updates', url), { method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body })

async function errorOf(res: Response) {
  assert.match(res.headers.get('content-type') ?? '', 'application/json')
  const text = await res.text()
  return { status: res.status, text, code: (JSON.parse(text) as { error?: { code: string } }).error?.code }
}

/** A request line sent as is (fetch would normalise it). */
function rawGet(port: number, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`))
    let out = ''
    s.on('data', (d) => (out += d))
    s.on('end', () => resolve(out))
    s.on('error', reject)
  })
}

test('a malformed blocked.yaml refuses every request with 503 and tells the requester nothing about it', async () => {
  await fs.writeFile(alice.layout.blocked, 'blocked:\n  - fingerprint: my-private-note-about-mallory\n  - [unclosed\n')
  try {
    const e = await errorOf(
      await post(server.url, await encryptAndSign({ data: request(alice), to: [alice.publicKey], signer: bob.secretKey })),
    )
    assert.is(e.status, 503)
    assert.is(e.code, 'unavailable')
    assert.not.match(e.text, 'private-note')
    assert.not.match(e.text, 'blocked.yaml')
    assert.not.match(e.text, alice.layout.root)
  } finally {
    await fs.rm(alice.layout.blocked, { force: true })
  }
  assert.is(
    (await post(server.url, await encryptAndSign({ data: request(alice), to: [alice.publicKey], signer: bob.secretKey }))).status,
    200,
  )
})

test('an 8,000-character path gets 414 JSON without any local path', async () => {
  const answer = await rawGet(server.port, `/${'a'.repeat(8000)}`)
  assert.ok(answer.startsWith('HTTP/1.1 414'), answer.split('\r\n')[0])
  assert.match(answer, 'application/json')
  assert.not.match(answer, alice.layout.root)
  assert.not.match(answer, '<html')
  const nested = await rawGet(server.port, `/${'abcdefgh/'.repeat(110)}x`)
  assert.ok(/^HTTP\/1.1 4\d\d/.test(nested), nested.split('\r\n')[0])
  assert.not.match(nested, alice.layout.root)
})

test('the static server does not follow a symlink out of dist/', async () => {
  const outside = await tempDir('peerfeed-outside-')
  cleanup.push(outside)
  await fs.writeFile(path.join(outside, 'secret.txt'), 'outside-secret')
  await fs.mkdir(path.join(outside, 'folder'))
  await fs.writeFile(path.join(outside, 'folder', 'index.html'), 'outside-index')
  const dist = await fs.realpath(alice.layout.dist)
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(dist, 'leak.txt'))
  await fs.symlink(path.join(outside, 'folder'), path.join(dist, 'leakdir'))
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(dist, 'page.html'))
  await fs.writeFile(path.join(dist, 'inside.txt'), 'inside')
  await fs.symlink('inside.txt', path.join(dist, 'alias.txt'))
  for (const p of ['leak.txt', 'leakdir/', 'leakdir', 'page']) {
    const res = await fetch(new URL(p, server.url))
    const text = await res.text()
    assert.is(res.status, 404, `${p}: ${text}`)
    assert.not.match(text, 'outside')
  }
  assert.is(await (await fetch(new URL('alias.txt', server.url))).text(), 'inside', 'a symlink inside dist/ is served')
})

test('a request replayed after a server restart is still refused', async () => {
  const msg = await encryptAndSign({ data: request(alice), to: [alice.publicKey], signer: bob.secretKey })
  const first = await alice.serve()
  assert.is((await post(first.url, msg)).status, 200)
  await first.close()
  const second = await alice.serve()
  const e = await errorOf(await post(second.url, msg))
  assert.is(e.status, 401)
  assert.is(e.code, 'replayed')
})

test("Alice cannot re-wrap Bob's request to her for Carol's server", async () => {
  const carolServer = await carol.serve()
  const toAlice = await encryptAndSign({ data: request(alice), to: [alice.publicKey], signer: bob.secretKey })
  // Alice opens Bob's signed request with her key and wraps the same signed bytes for Carol.
  const opened = await decryptAndVerify({ message: toAlice, key: alice.secretKey, signers: [bob.publicKey] })
  assert.is(opened.signer.fingerprint, bob.fingerprint)
  const { rewrapSigned } = await import('../helpers/rewrap.ts')
  const forwarded = await rewrapSigned(toAlice, alice.layout.selfSecretKey, carol.publicKey.armored)
  const e = await errorOf(await post(carolServer.url, forwarded))
  assert.is(e.status, 403, e.text)
  assert.is(e.code, 'wrong_server')
  // Bob's own request to Carol is answered.
  assert.is(
    (await post(carolServer.url, await encryptAndSign({ data: request(carol), to: [carol.publicKey], signer: bob.secretKey }))).status,
    200,
  )
})

test.run()
