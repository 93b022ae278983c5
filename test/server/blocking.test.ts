// Blocking is complete: the server answers a blocked key exactly as a stranger's, sync skips a blocked friend,
// the timeline hides them; follow NAME without a URL keeps the saved one.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Session } from '../../src/sync/session.ts'
import { updatesRequest } from '../../src/sync/private-api.ts'
import { readFollows } from '../../src/sync/follows.ts'
import { loadTimeline } from '../../src/timeline/load-timeline.ts'
import { serializePost } from '../../src/posts/write-post.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('blocking')
let alice: TestFeed, bob: TestFeed, carol: TestFeed, dave: TestFeed, url: string

test.before(async () => {
  ;[alice, bob, carol, dave] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol'), makeFeed('dave')])
  await alice.befriend(bob)
  await alice.befriend(dave)
  await bob.befriend(alice)
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.post({ text: 'for dave', to: ['dave'] })
  await alice.build()
  url = (await alice.serve({ decryptWorkers: 0 })).url
})
test.after(async () => {
  for (const f of [alice, bob, carol, dave]) await f?.close()
})

/** POST /api/v1/updates signed by `from`, as sync sends it. */
async function ask(from: TestFeed): Promise<{ status: number; body: string }> {
  const s = {
    friend: { name: 'alice', key: alice.publicKey },
    me: from.secretKey,
    now: Date.now,
    random: (n: number) => crypto.randomBytes(n),
  } as unknown as Session
  const res = await fetch(new URL('api/v1/updates', url), {
    method: 'POST',
    headers: { 'content-type': 'application/pgp-encrypted' },
    body: await updatesRequest(s, null),
  })
  return { status: res.status, body: await res.text() }
}

test('the server answers a blocked key exactly as it answers a key it does not know', async () => {
  assert.is((await ask(dave)).status, 200, 'a friend in good standing gets pages')
  await alice.block('bob')
  const blocked = await ask(bob)
  const stranger = await ask(carol)
  assert.is(stranger.status, 403)
  assert.equal(blocked, stranger)
  assert.not.match(blocked.body, /block/i)
})

test('sync skips a friend I blocked, and the timeline hides their posts', async () => {
  await bob.post({ text: 'hello from bob' })
  await bob.build()
  await alice.follow('bob', (await bob.serve()).url)
  const s = await alice.sync({ names: ['bob'] })
  assert.is(s.new, 0)
  assert.is(s.failed, 0)
  assert.ok(
    s.friends[0].notes.some((n) => /skipped: you blocked bob/.test(n)),
    JSON.stringify(s.friends[0]),
  )
  assert.equal(await alice.inbox('bob'), [])
  // a post sync stored before the block stays on disk but leaves the timeline
  await fs.mkdir(path.join(alice.layout.inbox, 'bob/2026/11'), { recursive: true })
  await fs.writeFile(
    path.join(alice.layout.inbox, 'bob/2026/11/2026-11-20T08-00-00Z-before.yaml'),
    serializePost({ type: 'status', published: '2026-11-20T08:00:00Z', text: 'from before the block' }),
  )
  assert.ok((await loadTimeline(alice.layout, { limit: 100 })).items.every((i) => i.author !== 'bob'))
  assert.not.match((await cli(['timeline', '--root', alice.layout.root])).stdout, /from before the block/)
  assert.is((await cli(['unblock', 'bob', '--root', alice.layout.root])).code, 0)
  assert.match((await cli(['timeline', '--root', alice.layout.root])).stdout, /from before the block/, 'back once unblocked')
  assert.is((await cli(['block', 'bob', '--root', alice.layout.root])).code, 0)
})

test('follow NAME without a URL keeps the URL saved for that friend', async () => {
  await alice.follow('dave', 'http://192.0.2.7:8080/')
  const r = await cli(['follow', 'dave', '--root', alice.layout.root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, 'following "dave" at http://192.0.2.7:8080/')
  assert.is((await readFollows(alice.layout)).find((f) => f.name === 'dave')?.url, 'http://192.0.2.7:8080/')
})

test.run()
