// Sync under faults: connections cut mid-answer, hostile peers, concurrent runs. Nothing partial or forged is stored.
import fs from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, generateIdentity, readPublicKey, readSecretKey, type SecretKey } from '../../src/crypto/index.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('sync faults')
let alice: TestFeed, bob: TestFeed
let aliceUrl: string
const closers: (() => Promise<void> | void)[] = []

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  for (let i = 0; i < 5; i++) await alice.post({ text: `for bob ${i}`, to: ['bob'] }, { now: new Date(Date.UTC(2026, 0, 1, 0, i)) })
  for (let i = 0; i < 5; i++) await alice.post({ text: `public ${i}` }, { now: new Date(Date.UTC(2026, 0, 2, 0, i)) })
  await alice.build()
  aliceUrl = (await alice.serve()).url
})
test.after(async () => {
  for (const c of closers) await c()
  await alice?.close()
  await bob?.close()
})

/** Every file under a folder: no temp leftovers, every post parses. */
async function assertClean(dir: string) {
  const files = (await fs.readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String)
  for (const f of files) {
    assert.not.match(f, /\.tmp$/, `leftover temp file ${f}`)
    if (f.endsWith('.yaml')) {
      const { problems } = parsePost(await fs.readFile(path.join(dir, f), 'utf8'), f)
      assert.equal(problems, [], f)
    }
  }
}

/** A TCP proxy to `target` that, once `cut` matches a request, forwards only half of a response and then drops the connection. */
async function cuttingProxy(target: string, cut: (reqHead: string) => boolean) {
  const t = new URL(target)
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(t.port), t.hostname)
    let cutting = false
    client.on('data', (d) => {
      // one connection may carry several requests (keep-alive): each request's head starts a chunk of its own
      cutting ||= cut(d.toString('latin1'))
      upstream.write(d)
    })
    upstream.on('data', (d) => {
      if (cutting) {
        client.write((d as Buffer).subarray(0, Math.floor(d.length / 2)))
        client.destroy()
        upstream.destroy()
      } else client.write(d)
    })
    upstream.on('end', () => client.end())
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise<void>((r) => server.close(() => r())))
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`
}

test('a connection cut mid-answer leaves no partial file, and the next sync completes', async () => {
  let failing = true
  const url = await cuttingProxy(aliceUrl, (h) => failing && h.startsWith('GET /api/v1/public'))
  await bob.follow('alice', url)
  const first = await bob.sync()
  assert.is(first.failed, 1)
  assert.is(first.friends[0].error?.code, 'UNREACHABLE')
  assert.is(first.new, 5) // the private posts came before the cut
  await assertClean(path.join(bob.layout.inbox, 'alice'))
  failing = false
  const second = await bob.sync()
  assert.is(second.failed, 0, JSON.stringify(second.friends[0].error))
  assert.is(second.new, 5)
  assert.is((await bob.inbox('alice')).length, 10)
  await assertClean(path.join(bob.layout.inbox, 'alice'))
})

test('two syncs at once both finish and agree', async () => {
  await alice.post({ text: 'one more for bob', to: ['bob'] })
  await alice.build()
  await bob.follow('alice', aliceUrl)
  const [a, b] = await Promise.all([bob.sync(), bob.sync()])
  assert.is(a.failed + b.failed, 0)
  assert.is(a.new + b.new, 1)
  assert.is((await bob.inbox('alice')).length, 11)
  await assertClean(path.join(bob.layout.inbox, 'alice'))
})

/** A hand-written server that speaks the protocol's shapes but serves what `pages()` returns. */
async function hostile(answer: (req: http.IncomingMessage, round: number) => { status?: number; body: string | Buffer; type?: string }) {
  let round = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      // sync reads the friend's key and rotations first (sync/friend-key.ts); this server has neither
      if (req.url === '/key.asc' || req.url === '/key-rotation.json') {
        res.writeHead(404)
        return res.end()
      }
      if (req.url?.startsWith('/api/v1/public')) {
        res.setHeader('content-type', 'application/json')
        return res.end(JSON.stringify({ posts: [], next: null, manifests: [] }))
      }
      const a = answer(req, round++)
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/json' })
      res.end(a.body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`
}

let aliceSecret: SecretKey, bobPublic: Awaited<ReturnType<typeof readPublicKey>>, mallory: SecretKey
const sealed = (page: unknown, signer = aliceSecret) => encryptAndSign({ data: JSON.stringify(page), to: [bobPublic], signer })
const goodPost = (text: string) => ({ type: 'status', published: '2026-02-01T00:00:00Z', text })

async function againstHostile(pages: () => Promise<unknown[]> | unknown[], raw?: string | Buffer) {
  const list = await pages()
  const url = await hostile((_req, round) =>
    raw !== undefined
      ? { body: raw }
      : { body: JSON.stringify(round === 0 ? { pages: list, next: '9000000000000' } : { pages: [], next: null }) },
  )
  await bob.follow('alice', url)
  const before = await bob.inbox('alice')
  const s = await bob.sync({ limits: { answerBytes: 1 << 20 } })
  return { s, report: s.friends[0], added: (await bob.inbox('alice')).filter((x) => !before.includes(x)) }
}

test('a hostile peer: invalid JSON, oversized answers, wrong signer, bad schema, another author — nothing stored', async () => {
  aliceSecret = await readSecretKey(await fs.readFile(alice.layout.selfSecretKey, 'utf8'))
  bobPublic = await readPublicKey(await fs.readFile(bob.layout.selfPublicKey, 'utf8'))
  mallory = await readSecretKey((await generateIdentity({ name: 'Mallory' })).secretArmored)
  const A = alice.fingerprint

  let r = await againstHostile(() => [], '{"pages": [not json')
  assert.is(r.report.error?.code, 'BAD_ANSWER')
  assert.equal(r.added, [])

  r = await againstHostile(() => [], Buffer.alloc(2 << 20, 0x20))
  assert.is(r.report.error?.code, 'ANSWER_TOO_LARGE')
  assert.equal(r.added, [])

  r = await againstHostile(async () => [
    await sealed(
      { v: 1, owner: A, audience: 'you', entries: [{ cursor: '8000000000001', id: `${A}/forged`, post: goodPost('forged') }] },
      mallory,
    ),
  ])
  assert.is(r.report.error?.code, 'BAD_PAGE')
  assert.match(r.report.error!.message, /signature/)
  assert.equal(r.added, [])

  r = await againstHostile(async () => [
    await sealed({
      v: 1,
      owner: A,
      audience: 'you',
      entries: [
        { cursor: '8000000000002', id: `${A}/bad-schema`, post: { type: 'status', published: 'yesterday', text: 'x' } },
        { cursor: '8000000000003', id: `${A}/unknown-type`, post: { type: 'virus', published: '2026-02-01T00:00:00Z' } },
        { cursor: '8000000000004', id: `${'ab'.repeat(20)}/someone-else`, post: goodPost('not alice') },
        { cursor: '8000000000005', id: `${A}/..%2f..%2fescape`, post: goodPost('escape') },
        { cursor: '8000000000006', id: `${A}/with-file`, post: { ...goodPost('file'), attachments: [{ path: '../../evil.sh' }] } },
        { cursor: '8000000000007', id: `${A}/good-one`, post: goodPost('this one is fine') },
      ],
    }),
  ])
  assert.is(r.report.error, undefined, JSON.stringify(r.report.error))
  assert.equal(r.added, ['good-one'])
  assert.is(r.report.rejected.length, 5)
  const why = r.report.rejected.map((x) => x.why).join('\n')
  assert.match(why, /schema/)
  assert.match(why, /another author/)
  assert.match(why, /not <fingerprint>\/<file name>/)
  await assertClean(path.join(bob.layout.inbox, 'alice'))
  await fs.access(path.join(bob.layout.root, 'evil.sh')).then(
    () => assert.unreachable('escaped the inbox'),
    () => {},
  )
})

test.run()
