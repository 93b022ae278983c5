// The user's commands: follow, sync and timeline through the real CLI, against a real server.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('follow, sync, timeline (CLI)')
let alice: TestFeed, bob: TestFeed, url: string

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const first = await alice.post({ text: 'First snow in the garden.' }, { now: new Date('2026-11-20T09:30:00Z') })
  await alice.post(
    { type: 'link', url: 'https://example.org/snow', title: 'Snow facts', text: 'worth a read' },
    { now: new Date('2026-11-20T10:00:00Z') },
  )
  await alice.post(
    { type: 'event', name: 'Sledging', start: '2026-12-24T14:00:00Z', location: 'the hill', to: ['bob'] },
    { now: new Date('2026-11-20T11:00:00Z') },
  )
  await alice.post({ type: 'location', lat: 46.5, lon: 7.9, place: 'Wengen' }, { now: new Date('2026-11-20T12:00:00Z') })
  await alice.post({ type: 'activity', activity: 'run', distanceKm: 10.2, duration: 'PT52M' }, { now: new Date('2026-11-20T13:00:00Z') })
  await alice.post({ type: 'comment', inReplyTo: first, text: 'it melted already' }, { now: new Date('2026-11-20T14:00:00Z') })
  await alice.post({ type: 'like', object: first }, { now: new Date('2026-11-20T15:00:00Z') })
  await alice.build()
  url = (await alice.serve()).url
  await bob.post({ text: 'bob was here' }, { now: new Date('2026-11-21T08:00:00Z') })
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

test('follow then sync prints progress and a summary', async () => {
  const f = await cli(['follow', 'alice', url, '--root', bob.layout.root])
  assert.is(f.code, 0, f.stderr)
  assert.match(f.stdout, 'following "alice"')
  const s = await cli(['sync', '--root', bob.layout.root])
  assert.is(s.code, 0, s.stderr)
  assert.match(s.stdout, 'alice: 7 new, 0 updated, 0 deleted, 0 rejected')
  assert.match(s.stdout, 'synced 1 friend(s): 7 new')
})

test('timeline shows everyone newest first, each type readably', async () => {
  const r = await cli(['timeline', '--root', bob.layout.root])
  assert.is(r.code, 0, r.stderr)
  const out = r.stdout
  assert.ok(out.indexOf('bob was here') < out.indexOf('liked'), 'newest first')
  assert.match(out, /^me · /m)
  assert.match(out, /^alice · /m)
  assert.match(out, "♥ liked alice's")
  assert.match(out, "↳ in reply to alice's")
  assert.match(out, 'Snow facts — https://example.org/snow')
  assert.match(out, 'Sledging: 2026-12-24T14:00:00Z @ the hill')
  assert.match(out, 'Wengen (46.5, 7.9)')
  assert.match(out, 'run · 10.2 km · 52m')
})

test('timeline --from and --json', async () => {
  const r = await cli(['timeline', '--root', bob.layout.root, '--from', 'alice', '--json', '--limit', '3'])
  assert.is(r.code, 0, r.stderr)
  const items = JSON.parse(r.stdout) as { author: string; type: string; id: string }[]
  assert.is(items.length, 3)
  assert.ok(items.every((i) => i.author === 'alice' && i.id.startsWith(alice.fingerprint)))
  assert.equal(
    items.map((i) => i.type),
    ['like', 'comment', 'activity'],
  )
  const bad = await cli(['timeline', '--root', bob.layout.root, '--from', 'zed'])
  assert.is(bad.code, 1)
  assert.match(bad.stderr, 'nothing from "zed"')
})

test.run()
