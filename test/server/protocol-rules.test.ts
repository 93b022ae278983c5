// docs/protocol.md, exactly: limits, which refusal code means what, what counts as a static host, the entry
// `files` map. Each rule is checked against a real server, a real static host or the real client.
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import httpServer from 'http-server'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decryptAndVerify, signDetached } from '../../src/crypto/index.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { isStaticHostAnswer } from '../../src/sync/transport.ts'
import { REPO } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('protocol rules as documented')
let alice: TestFeed, bob: TestFeed, server: RunningServer
const closers: (() => unknown)[] = []
const PNG = path.join(REPO, 'feed/2026/11/2026-11-20T08-15-00Z-snow-on-the-roofs.png')

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const png = path.join(alice.layout.root, 'roofs.png')
  await fs
    .copyFile(await fs.realpath(PNG).catch(() => PNG), png)
    .catch(async () => fs.writeFile(png, Buffer.from('89504e470d0a1a0a', 'hex')))
  await alice.post({ type: 'image', text: 'public roofs' } as never, { files: [{ source: png, alt: 'roofs' }] })
  await alice.post({ type: 'image', text: 'private roofs', to: ['bob'] } as never, { files: [{ source: png, alt: 'roofs' }] })
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.build()
  server = await alice.serve()
})
test.after(async () => {
  for (const c of closers.reverse()) await c()
  await alice?.close()
  await bob?.close()
})

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
const postBody = (body: string) =>
  fetch(new URL('api/v1/updates', server.url), { method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body })
const armor = (bytes: Buffer) => `-----BEGIN PGP MESSAGE-----\n\n${bytes.toString('base64')}\n-----END PGP MESSAGE-----\n`

test('GET /api/v1/public: limit 1 to 1000; 0 and 1001 are 400 bad_query', async () => {
  for (const limit of ['1', '1000']) assert.is((await fetch(new URL(`api/v1/public?limit=${limit}`, server.url))).status, 200)
  for (const limit of ['0', '1001', '99999']) {
    const res = await fetch(new URL(`api/v1/public?limit=${limit}`, server.url))
    assert.is(res.status, 400, limit)
    assert.is(await errorCode(res), 'bad_query')
  }
})

test('not_armored: no armor or no base64 inside; not_a_message: armor whose bytes are not OpenPGP packets; not_encrypted: packets without a PKESK', async () => {
  const cases: [string, string][] = [
    ['hello', 'not_armored'],
    ['-----BEGIN PGP MESSAGE-----\n\n%%%not base64%%%\n-----END PGP MESSAGE-----\n', 'not_armored'],
    [armor(Buffer.from('hello, not packets')), 'not_a_message'],
    [armor(Buffer.from([0xc1, 0x40, 0x03])), 'not_a_message'], // a PKESK header claiming 64 bytes, 1 present: truncated
  ]
  // a signature alone is OpenPGP packets, but not encrypted to anyone
  const sig = await signDetached({ data: 'x', signer: bob.secretKey })
  cases.push([sig.replace(/PGP SIGNATURE/g, 'PGP MESSAGE'), 'not_encrypted'])
  for (const [body, code] of cases) {
    const res = await postBody(body)
    assert.is(res.status, 400, body.slice(0, 60))
    assert.is(await errorCode(res), code, body.slice(0, 60))
  }
})

test('a static host is 404, 405 or 501 without a PeerFeed error body (or with not_found / method_not_allowed)', () => {
  const got = (status: number, body = '', contentType = 'text/html') => ({ status, contentType, body: Buffer.from(body) })
  const pf = (code: string) => JSON.stringify({ error: { code, message: 'm' } })
  for (const s of [404, 405, 501]) assert.ok(isStaticHostAnswer(got(s, '<html>')), String(s))
  assert.ok(isStaticHostAnswer(got(404, pf('not_found'), 'application/json')))
  assert.ok(isStaticHostAnswer(got(405, pf('method_not_allowed'), 'application/json')))
  for (const [s, code] of [
    [403, 'unknown_key'],
    [404, 'not_built'],
    [400, 'not_armored'],
    [503, 'not_built'],
  ] as const) {
    assert.not.ok(isStaticHostAnswer(got(s, pf(code), 'application/json')), `${s} ${code}`)
  }
  for (const s of [200, 400, 403, 500, 503]) assert.not.ok(isStaticHostAnswer(got(s, '<html>')), String(s))
})

test("a host answering POST with 501 (Python's http.server) is a static host: sync reads the friend index there", async () => {
  const files = httpServer.createServer({ root: await fs.realpath(alice.layout.dist), showDir: 'false', cache: -1 })
  // Like `python3 -m http.server`: files for GET, "501 Unsupported method ('POST')" as HTML for anything else.
  const host = http.createServer((req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') return files.server.emit('request', req, res)
    req.resume()
    res
      .writeHead(501, { 'content-type': 'text/html;charset=utf-8' })
      .end(`<html><body><h1>Error response</h1><p>Error code: 501</p><p>Message: Unsupported method ('${req.method}').</p></body></html>`)
  })
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r))
  closers.push(() => {
    host.closeAllConnections()
    host.close()
  })
  await bob.follow('alice', `http://127.0.0.1:${(host.address() as AddressInfo).port}/`)
  const summary = await bob.sync()
  const r = summary.friends[0]
  assert.is(r.error, undefined, JSON.stringify(r))
  assert.is(r.access, 'private+public')
  const stems = await bob.inbox('alice')
  assert.is(stems.length, 3, stems.join(', '))
})

test('entry files: public values are site paths from the root (/…); private values are page names of p/<name>.asc', async () => {
  const pub = (await (await fetch(new URL('api/v1/public', server.url))).json()) as {
    posts: { post?: { attachments?: { path: string; sha256: string }[] }; files?: Record<string, string> }[]
  }
  const img = pub.posts.find((e) => e.post?.attachments)!
  const [att] = img.post!.attachments!
  assert.equal(Object.keys(img.files!), [att.path])
  const where = img.files![att.path]
  assert.match(where, /^\/[^/]/)
  const bytes = Buffer.from(await (await fetch(new URL(where.slice(1), server.url))).arrayBuffer())
  assert.is((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'), att.sha256)

  const { updatesRequest } = await import('../../src/sync/private-api.ts')
  const session = {
    friend: { key: alice.publicKey },
    me: bob.secretKey,
    now: Date.now,
    random: (n: number) => globalThis.crypto.getRandomValues(Buffer.alloc(n)) as Buffer,
  } as never
  const answer = (await (await postBody(await updatesRequest(session, null))).json()) as { pages: string[] }
  const entries = []
  for (const p of answer.pages)
    entries.push(...JSON.parse((await decryptAndVerify({ message: p, key: bob.secretKey, signers: [alice.publicKey] })).text()).entries)
  const priv = entries.find((e: { post?: { text?: string } }) => e.post?.text === 'private roofs')
  const [patt] = priv.post.attachments
  assert.equal(Object.keys(priv.files), [patt.path])
  const name = priv.files[patt.path] as string
  assert.match(name, /^[0-9a-f]{32}$/)
  const blob = await (await fetch(new URL(`p/${name}.asc`, server.url))).text()
  const opened = await decryptAndVerify({ message: blob, key: bob.secretKey, signers: [alice.publicKey] })
  assert.is((await import('node:crypto')).createHash('sha256').update(opened.data).digest('hex'), patt.sha256)
})

test.run()
