// The complete POST /api/v1/updates exchange documented in docs/protocol.md, run against a real server whose clock
// reads the documented time: the documented request plaintext, byte for byte, and the documented answer fields.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decryptAndVerify, encryptAndSign } from '../../src/crypto/index.ts'
import { REPO } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('the documented updates exchange')
let alice: TestFeed, bob: TestFeed

test.after(async () => {
  await alice?.close()
  await bob?.close()
})

test('request plaintext and answer fields are exactly as docs/protocol.md shows them', async () => {
  const doc = await fs.readFile(path.join(REPO, 'docs/protocol.md'), 'utf8')
  const section = /### One complete exchange \(test vector\)([\s\S]*?)\n## /.exec(doc)![1]
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1])
  assert.is(blocks.length, 3)
  const [request, answerShape, pageText] = blocks
  const clock = Date.parse(JSON.parse(request).sentAt)

  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  const stem = await alice.post({ text: 'Hello Bob.', to: ['bob'] }, { now: new Date('2026-11-24T09:30:00Z') })
  assert.is(stem, '2026-11-24T09-30-00Z-hello-bob')
  await alice.build()
  const { startServer } = await import('../../src/server/index.ts')
  const server = await startServer({ layout: alice.layout, port: 0, now: () => clock })
  try {
    const send = async (plain: string) =>
      fetch(new URL('api/v1/updates', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/pgp-encrypted' },
        body: await encryptAndSign({ data: plain.replaceAll('<alice>', alice.fingerprint), to: [alice.publicKey], signer: bob.secretKey }),
      })
    const res = await send(request)
    assert.is(res.status, 200, await res.clone().text())
    assert.match(res.headers.get('content-type') ?? '', 'application/json')
    const answer = (await res.json()) as { pages: string[]; next: string }
    const shape = JSON.parse(answerShape) as Record<string, unknown>
    assert.equal(Object.keys(answer), Object.keys(shape))
    assert.is(answer.pages.length, (shape.pages as unknown[]).length)
    assert.match(answer.next, /^\d+$/)
    const page = await decryptAndVerify({ message: answer.pages[0], key: bob.secretKey, signers: [alice.publicKey] })
    assert.is(page.signer.fingerprint, alice.fingerprint)
    const expected = pageText.replaceAll('<alice>', alice.fingerprint).replaceAll('<cursor>', answer.next)
    assert.is(page.text(), expected)

    const replayed = await send(request)
    assert.is(replayed.status, 401)
    assert.is(((await replayed.json()) as { error: { code: string } }).error.code, 'replayed')
    const again = JSON.stringify({ ...JSON.parse(request), since: answer.next, nonce: 'ffeeddccbbaa99887766554433221100' })
    assert.equal(await (await send(again)).json(), { pages: [], next: null })
  } finally {
    await server.close()
  }
})

test.run()
