// A 4 KB request that inflates to 4 GB, built by anyone from /key.asc, against a real `serve` process: refused,
// the server stays small, and a friend is still answered — with decrypt workers and without.
import crypto from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, readPublicKey } from '../../src/crypto/index.ts'
import { bzip2Bomb } from '../helpers/bombs.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { serveChild, type ServeChild } from '../helpers/serve-child.ts'

const test = suite('server: decompression bombs and oversized requests')
let alice: TestFeed, bob: TestFeed
const children: ServeChild[] = []
/** Peak resident memory allowed for the whole server process, bomb or not. */
const PEAK_MB = 300

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await alice.post({ text: 'for bob, despite the bombs', to: ['bob'] })
  await alice.build()
})
test.after(async () => {
  for (const c of children) await c.stop()
  await alice?.close()
  await bob?.close()
})

const request = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    since: null,
    limit: 100,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
    ...over,
  })

const postTo = (url: string, body: string) =>
  fetch(new URL('api/v1/updates', url), {
    method: 'POST',
    headers: { 'content-type': 'application/pgp-encrypted' },
    body,
    signal: AbortSignal.timeout(60_000),
  })

async function code(res: Response): Promise<string> {
  const j = (await res.json()) as { error?: { code: string } }
  return `${res.status} ${j.error?.code ?? 'ok'}`
}

for (const workers of ['2', '0']) {
  test(`--decrypt-workers ${workers}: 4 GB bzip2 requests are refused, memory stays under ${PEAK_MB} MB, a friend is answered`, async () => {
    const s = await serveChild(alice.layout.root, ['--decrypt-workers', workers])
    children.push(s)
    const keyText = await (await fetch(new URL('key.asc', s.url))).text()
    const anonymous = await bzip2Bomb(keyText, { gigabytes: 4 })
    const named = await bzip2Bomb(keyText, { gigabytes: 4, named: true })
    assert.ok(anonymous.length < 8_000, `the bomb is small (${anonymous.length} bytes)`)
    const before = s.memory()
    // Four at once (more than there are workers), while a friend asks for their pages.
    const friend = postTo(s.url, await encryptAndSign({ data: request(), to: [await readPublicKey(keyText)], signer: bob.secretKey }))
    friend.catch(() => {}) // awaited below; a killed server must fail the test, not crash the runner
    const codes = await s.guard(PEAK_MB, Promise.all([anonymous, named, anonymous, named].map(async (b) => code(await postTo(s.url, b)))))
    assert.equal(codes, Array(4).fill('400 compressed'))
    const res = await s.guard(PEAK_MB, friend)
    assert.is(res.status, 200, await res.clone().text())
    assert.is(((await res.json()) as { pages: string[] }).pages.length, 1)
    const after = s.memory()
    assert.ok(after.peakMb < PEAK_MB, `peak RSS ${after.peakMb} MB (was ${before.rssMb} MB before the bombs)`)
    assert.not.match(s.output(), /heap out of memory|FATAL/i)
  })
}

test('an oversized or deeply nested request plaintext is refused before JSON.parse', async () => {
  const s = await serveChild(alice.layout.root, ['--decrypt-workers', '1'])
  children.push(s)
  const to = [await readPublicKey(await (await fetch(new URL('key.asc', s.url))).text())]
  const seal = (data: string) => encryptAndSign({ data, to, signer: bob.secretKey })
  assert.is(await code(await postTo(s.url, await seal(request({ pad: 'x'.repeat(5000) })))), '413 too_large')
  const deep = `{"since":null,"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
  assert.is(await code(await postTo(s.url, await seal(deep))), '413 too_large')
  assert.is(await code(await postTo(s.url, await seal(`{"x":[[[[[1]]]]]}`))), '400 bad_json')
  assert.is(await code(await postTo(s.url, await seal(request()))), '200 ok')
})

test.run()
