// Notifications from real synced posts: a friend's comment and like on my post and a post for me alone count; their
// public and group posts do not; read state is kept per device.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { heldAudiences } from '../../src/sync/sync-state.ts'
import { markNotificationsRead } from '../../src/timeline/notification-state.ts'
import { loadNotifications } from '../../src/timeline/notifications.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('notifications')
let alice: TestFeed, bob: TestFeed, carol: TestFeed
let mine: string

test.before(async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  await bob.befriend(carol)
  mine = await alice.post({ text: 'my first post' }, { now: new Date('2026-11-20T08:00:00Z') })
  await bob.group('hikers', ['alice', 'carol'])
  const id = `${alice.fingerprint}/${mine}`
  await bob.post({ type: 'comment', inReplyTo: id, text: 'nice one', to: ['alice'] }, { now: new Date('2026-11-20T09:00:00Z') })
  await bob.post({ type: 'like', object: id, to: ['alice'] }, { now: new Date('2026-11-20T10:00:00Z') })
  await bob.post({ text: 'just for alice', to: ['alice'] }, { now: new Date('2026-11-20T11:00:00Z') })
  await bob.post({ text: 'for the hikers', to: ['hikers'] }, { now: new Date('2026-11-20T12:00:00Z') })
  await bob.post({ text: 'for everyone' }, { now: new Date('2026-11-20T13:00:00Z') })
  await bob.build()
  await alice.follow('bob', (await bob.serve()).url)
  const s = await alice.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is(s.new, 5)
})
test.after(async () => {
  await Promise.all([alice, bob, carol].map((f) => f?.close()))
})

test('sync records how each private post reached me: for me alone, or through a group', async () => {
  const audiences = [...(await heldAudiences(alice.layout, 'bob')).entries()]
    .map(([stem, to]) => `${stem.replace(/^.*?Z-/, '')}=${to}`)
    .sort()
  assert.equal(audiences, ['for-the-hikers=hikers', 'just-for-alice=you', 'nice-one=you', 'like=you'].sort())
})

test("a friend's comment and like on my post and a post for me alone are notifications, newest first, unread", async () => {
  const n = await loadNotifications(alice.layout)
  assert.equal(
    n.items.map((i) => `${i.kind} ${i.author}`),
    ['to-you bob', 'like bob', 'comment bob'],
  )
  assert.is(n.unread, 3)
  assert.is(n.items[1].about, `${alice.fingerprint}/${mine}`)
  assert.is(n.items[0].post.data.text, 'just for alice')
})

test('marked read, they stay read; ids no longer present are forgotten', async () => {
  const n = await loadNotifications(alice.layout)
  assert.is(await markNotificationsRead(alice.layout, [n.items[0].id]), 1)
  assert.is((await loadNotifications(alice.layout)).unread, 2)
  await markNotificationsRead(alice.layout, [...n.items.map((i) => i.id), 'gone/post'], { current: n.items.map((i) => i.id) })
  const after = await loadNotifications(alice.layout)
  assert.is(after.unread, 0)
  assert.ok(after.items.every((i) => i.read))
})

test('a blocked friend raises no notifications', async () => {
  await alice.block('bob')
  assert.is((await loadNotifications(alice.layout)).items.length, 0)
})

test.run()
