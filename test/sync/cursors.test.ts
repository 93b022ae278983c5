// Only signed, accepted data moves a sync cursor: a relay forging `next`, an unsigned entry or the static index's
// `last` cannot make later syncs from the honest server miss posts; pages that stop moving are stopped at once.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign } from '../../src/crypto/index.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { editJson, relay, type Relay } from '../helpers/relay.ts'

const test = suite('sync cursors')
const FORGED = '99999999999999999999'
let alice: TestFeed, bob: TestFeed, honest: RunningServer
const relays: Relay[] = []

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  await alice.post({ text: 'public one' })
  await alice.post({ text: 'for bob one', to: ['bob'] })
  await alice.build()
  honest = await alice.serve()
})
test.after(async () => {
  for (const r of relays) await r.close()
  await alice?.close()
  await bob?.close()
})

async function forget() {
  await fs.rm(bob.layout.inbox, { recursive: true, force: true })
  await fs.rm(path.join(bob.layout.state, 'sync'), { recursive: true, force: true })
}
const state = async () =>
  JSON.parse(await fs.readFile(path.join(bob.layout.state, 'sync', 'alice.json'), 'utf8')) as {
    cursor: string | null
    publicCursor: string | null
  }
const open = async (rule: Parameters<typeof relay>[1]) => {
  const r = await relay(honest.url, rule)
  relays.push(r)
  return r
}
const notFound = { status: 404, body: 'Not Found', type: 'text/plain' }

test('a relay forging next and adding an unsigned entry cannot stop later syncs from the honest server', async () => {
  await forget()
  const r = await open(async (req, forward) => {
    const a = await forward()
    if (a.status !== 200) return a
    if (req.path.startsWith('/api/v1/updates'))
      return editJson(a, (v) => {
        if ((v.pages as unknown[]).length) v.next = FORGED
      })
    if (req.path.startsWith('/api/v1/public')) {
      return editJson(a, (v) => {
        if (!(v.posts as unknown[]).length) return
        v.next = FORGED
        ;(v.posts as unknown[]).push({
          cursor: FORGED,
          id: `${alice.fingerprint}/2099-01-01T00-00-00Z-forged`,
          post: { type: 'status', published: '2099-01-01T00:00:00Z', text: 'made up by the relay' },
        })
      })
    }
    return a
  })
  await bob.follow('alice', r.url)
  const first = await bob.sync()
  assert.is(first.failed, 0, JSON.stringify(first.friends[0].error))
  assert.is(first.new, 2)
  assert.is(first.rejected, 1)
  const s = await state()
  assert.is.not(s.cursor, FORGED)
  assert.is.not(s.publicCursor, FORGED)

  await alice.post({ text: 'public two' })
  await alice.post({ text: 'for bob two', to: ['bob'] })
  await alice.build()
  await bob.follow('alice', honest.url)
  const second = await bob.sync()
  assert.is(second.failed, 0, JSON.stringify(second.friends[0].error))
  assert.is(second.new, 2, 'both new posts arrive from the honest server')
})

test('a static relay forging `last` in api/public/index.json cannot stop later syncs', async () => {
  await forget()
  const r = await open(async (req, forward) => {
    // a plain static host: no API
    if (req.path.startsWith('/api/v1/')) return notFound
    const a = await forward()
    if (req.path === '/api/public/index.json' && a.status === 200) {
      return editJson(a, (v) => {
        for (const p of v.pages as { last: string }[]) p.last = FORGED
      })
    }
    return a
  })
  await bob.follow('alice', r.url)
  const first = await bob.sync()
  assert.is(first.failed, 0, JSON.stringify(first.friends[0].error))
  assert.is(first.new, 4)
  assert.is.not((await state()).publicCursor, FORGED)

  await alice.post({ text: 'public three' })
  await alice.post({ text: 'for bob three', to: ['bob'] })
  await alice.build()
  await bob.follow('alice', honest.url)
  const second = await bob.sync()
  assert.is(second.failed, 0, JSON.stringify(second.friends[0].error))
  assert.is(second.new, 2)
})

test('pages whose `next` creeps forward over the same content are stopped after the second round', async () => {
  await forget()
  let cached: { pages: unknown[]; next: string } | undefined
  let rounds = 0
  const r = await open(async (req, forward) => {
    if (!req.path.startsWith('/api/v1/updates')) return forward()
    rounds++
    // a broken server: the same pages for ever, `next` one more each time (bounded here so an unfixed sync ends)
    if (rounds > 30) return { status: 200, body: JSON.stringify({ pages: [], next: null }) }
    if (!cached) {
      cached = JSON.parse((await forward()).body.toString())
      return { status: 200, body: JSON.stringify(cached) }
    }
    cached.next = String(BigInt(cached.next) + 1n)
    return { status: 200, body: JSON.stringify(cached) }
  })
  await bob.follow('alice', r.url)
  const s = await bob.sync()
  assert.is(s.friends[0].error?.code, 'STUCK', JSON.stringify(s.friends[0]))
  assert.match(s.friends[0].error!.message, /nothing after cursor/)
  assert.is(rounds, 2)
  assert.is(s.new, 3, 'what came in the first round is kept')
})

test('a friend post nested 5,000 deep is rejected with a clear reason; the rest of the page is stored', async () => {
  await forget()
  // Written as text: JSON.stringify itself overflows on values this deep.
  const deep = `${'['.repeat(5000)}"bottom"${']'.repeat(5000)}`
  const entry = (stem: string, cursor: string, nested = false) =>
    `{"cursor":"${cursor}","id":"${alice.fingerprint}/${stem}","post":{"type":"status","published":"2026-02-01T00:00:00Z","text":"${stem}"${nested ? `,"x-deep":${deep}` : ''}}}`
  const page = await encryptAndSign({
    data: `{"v":1,"owner":"${alice.fingerprint}","audience":"you","entries":[${entry('2026-02-01T00-00-00Z-flat', '1800000000001')},${entry('2026-02-01T00-00-00Z-deep', '1800000000002', true)}]}`,
    to: [bob.publicKey],
    signer: alice.secretKey,
  })
  let served = false
  const r = await open(async (req) => {
    if (req.path.startsWith('/api/v1/updates')) {
      const body = served ? { pages: [], next: null } : { pages: [page], next: '1800000000002' }
      served = true
      return { status: 200, body: JSON.stringify(body) }
    }
    if (req.path.startsWith('/api/v1/public')) {
      return { status: 200, body: `{"posts":[${entry('2026-02-01T00-00-00Z-pubdeep', '1800000000003', true)}],"next":null,"manifests":[]}` }
    }
    return notFound
  })
  await bob.follow('alice', r.url)
  const s = await bob.sync()
  const report = s.friends[0]
  assert.is(report.error, undefined, JSON.stringify(report.error))
  assert.equal(await bob.inbox('alice'), ['2026-02-01T00-00-00Z-flat'])
  const why = report.rejected.map((x) => x.why).join('\n')
  assert.is(report.rejected.length, 2, why)
  assert.match(why, /nests deeper than 34 levels/)
})

test.run()
