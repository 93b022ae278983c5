// Alice serves, Bob syncs: audiences, edits, deletes, backdated posts and blocking, end to end over real HTTP.
import fs from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('exchange between two peers')
let alice: TestFeed, bob: TestFeed, carol: TestFeed
const stems: Record<string, string> = {}

test.before(async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await alice.befriend(carol)
  await bob.befriend(alice)
  await alice.group('family', ['bob'])
  stems.public = await alice.post({ text: 'hello everyone' })
  stems.family = await alice.post({ text: 'family dinner on sunday', to: ['family'] })
  stems.bob = await alice.post({ text: 'just for bob', to: ['bob'] })
  stems.carol = await alice.post({ text: 'just for carol', to: ['carol'] })
  await alice.build()
  const server = await alice.serve()
  await bob.follow('alice', server.url)
})

test.after(async () => {
  await Promise.all([alice?.close(), bob?.close(), carol?.close()])
})

test('bob receives exactly the public, family and bob-only posts', async () => {
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.equal(await bob.inbox('alice'), [stems.public, stems.family, stems.bob].sort())
  assert.is(s.new, 3)
  assert.is(s.friends[0].access, 'private+public')
})

test('syncing again changes nothing', async () => {
  const s = await bob.sync()
  assert.is(s.new + s.updated + s.deleted + s.rejected, 0)
})

test('an edit and a delete reach bob on the next sync', async () => {
  const famFile = await alice.postFile(stems.family)
  const text = await fs.readFile(famFile, 'utf8')
  await fs.writeFile(famFile, text.replace('family dinner on sunday', 'family dinner moved to monday'))
  await fs.rm(await alice.postFile(stems.bob))
  await alice.build()
  const s = await bob.sync()
  assert.is(s.updated, 1)
  assert.is(s.deleted, 1)
  assert.equal(await bob.inbox('alice'), [stems.public, stems.family].sort())
  const files = await fs.readdir(`${bob.layout.inbox}/alice`, { recursive: true })
  const fam = files.find((f) => f.endsWith(`${stems.family}.yaml`))!
  assert.match(await fs.readFile(`${bob.layout.inbox}/alice/${fam}`, 'utf8'), 'moved to monday')
})

test('a backdated post written after the last sync still arrives', async () => {
  stems.old = await alice.post({ text: 'found an old photo', to: ['family'] }, { now: new Date('2019-05-01T12:00:00Z') })
  await alice.build()
  const s = await bob.sync()
  assert.is(s.new, 1)
  assert.ok((await bob.inbox('alice')).includes(stems.old))
})

test("a blocked friend gets a stranger's answer: public posts only, nothing private", async () => {
  const secret = await alice.post({ text: 'after the block', to: ['bob'] })
  const open = await alice.post({ text: 'public after the block' })
  await alice.block('bob')
  await alice.build()
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.ok(
    s.friends[0].notes.some((n) => /has not added your key yet: public posts only/.test(n)),
    'the same note as for a stranger',
  )
  const inbox = await bob.inbox('alice')
  assert.ok(inbox.includes(open))
  assert.not.ok(inbox.includes(secret))
})

test.run()
