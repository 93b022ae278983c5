// The receiver stores only what the protocol allows: a server written from docs/protocol.md sends `to` and loose
// dates; sync drops `to` and refuses what `peerfeed check` would refuse, with the same rules.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign } from '../../src/crypto/index.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { checkEntry } from '../../src/sync/check-entry.ts'
import { readState } from '../../src/sync/sync-state.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('sync: what is stored')
let alice: TestFeed, bob: TestFeed, server: http.Server
const post = (published: string, extra: Record<string, unknown> = {}) => ({
  type: 'status',
  published,
  text: `posted ${published}`,
  ...extra,
})

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await bob.befriend(alice)
  const id = (stem: string) => `${alice.fingerprint}/${stem}`
  // What another implementation of the docs might send: `to` in posts, and dates PeerFeed's check refuses.
  const entries = [
    { cursor: '1795590000001', id: id('with-to'), post: post('2026-11-24T09:30:00Z', { to: ['public', 'crew'] }) },
    { cursor: '1795590000002', id: id('space-date'), post: post('2026-11-24 09:31:00Z') },
    { cursor: '1795590000003', id: id('lower-t'), post: post('2026-11-24t09:32:00Z') },
    { cursor: '1795590000004', id: id('no-zone'), post: post('2026-11-24T09:33:00') },
    { cursor: '1795590000005', id: id('fine'), post: post('2026-11-24T09:34:00+01:00') },
  ]
  const page = await encryptAndSign({
    data: JSON.stringify({ v: 1, owner: alice.fingerprint, audience: 'you', entries }),
    to: [bob.publicKey],
    signer: alice.secretKey,
  })
  let answered = false
  server = http.createServer((req, res) => {
    req.resume()
    if (req.method === 'POST' && req.url === '/api/v1/updates') {
      // pages with `next: null`: the answer is complete; the client keeps the highest cursor in the pages
      const body = answered ? { pages: [], next: null } : { pages: [page], next: null }
      answered = true
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    } else res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  await bob.follow('alice', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
})
test.after(async () => {
  server?.closeAllConnections()
  server?.close()
  await alice?.close()
  await bob?.close()
})

test('sync drops `to`, refuses dates check refuses, and stores files check accepts', async () => {
  const summary = await bob.sync()
  const report = summary.friends[0]
  assert.is(report.error, undefined, JSON.stringify(report))
  assert.equal(await bob.inbox('alice'), ['fine', 'with-to'])
  assert.equal(report.rejected.map((r) => r.id?.split('/')[1]).sort(), ['lower-t', 'no-zone', 'space-date'])
  for (const r of report.rejected) assert.match(r.why, 'not a valid date and time')
  const dir = path.join(bob.layout.inbox, 'alice')
  for (const f of (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.yaml'))) {
    const text = await fs.readFile(path.join(dir, f), 'utf8')
    assert.not.match(text, /^to:/m, f)
    assert.not.match(text, 'crew')
    assert.equal(parsePost(text, f).problems, [], f)
  }
  assert.is((await readState(bob.layout, 'alice', alice.fingerprint)).cursor, '1795590000005')
  const shown = await cli(['timeline', '--root', bob.layout.root])
  assert.is(shown.code, 0, shown.stderr)
  assert.match(shown.stdout, 'posted 2026-11-24T09:30:00Z')
  assert.not.match(shown.stdout, 'crew')
})

test('check and sync apply one rule set: every post check accepts, sync accepts, and the other way round', () => {
  const owner = crypto.randomBytes(20).toString('hex')
  const cases = [
    post('2026-11-24T09:30:00Z'),
    post('2026-11-24 09:30:00Z'),
    post('2026-11-24T09:30:00.123+05:30'),
    post('2026-11-24T09:30:00Z', { updated: '2026-11-23T09:30:00Z' }),
    post('2026-11-24T09:30:00Z', { tags: ['snow', 'Schnee', '雪', 'a b'] }),
    post('2026-11-24T09:30:00Z', { tags: ['ok'], 'x-mood': 'calm' }),
    post('2026-02-30T09:30:00Z'),
    { type: 'event', published: '2026-11-24T09:30:00Z', name: 'x', start: '2026-12-02 10:00:00Z' },
  ]
  for (const [i, data] of cases.entries()) {
    const yaml = Object.entries(data)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n')
    const byCheck = parsePost(`${yaml}\n`, 'p.yaml').problems.length === 0
    const bySync = 'ok' in checkEntry({ cursor: String(i + 1), id: `${owner}/p${i}`, post: data }, owner)
    assert.is(bySync, byCheck, JSON.stringify(data))
  }
})

test.run()
