// The live index: every readable post in memory, following the files as they are added, edited and removed.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LiveIndex, type IndexChange } from '../../src/index/live-index.ts'
import { searchEntries } from '../../src/app/search.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('live index')
const ctx: { feed?: TestFeed; alice?: TestFeed; index?: LiveIndex; changes: IndexChange[] } = { changes: [] }

test.before(async () => {
  ctx.feed = await makeFeed('owner')
  ctx.alice = await makeFeed('alice')
  await ctx.feed.befriend(ctx.alice)
  await ctx.feed.post({ text: 'first of mine', tags: ['garden'] }, { now: new Date('2026-11-01T10:00:00Z') })
  ctx.index = await new LiveIndex(ctx.feed.layout).open()
  ctx.index.onChange((c) => ctx.changes.push(c))
})
test.after(async () => {
  await ctx.index?.close()
  await ctx.feed?.close()
  await ctx.alice?.close()
})

async function next(): Promise<IndexChange> {
  for (let i = 0; i < 800 && !ctx.changes.length; i++) await new Promise((r) => setTimeout(r, 25))
  const c = ctx.changes.shift()
  if (!c) throw new Error('no change reported')
  return c
}

test("a friend's post written into inbox/ is indexed under her fingerprint, with replies threaded", async () => {
  const dir = path.join(ctx.feed!.layout.inbox, 'alice', '2026', '11')
  await fs.mkdir(dir, { recursive: true })
  const mine = ctx.index!.sorted()[0].post.id
  await fs.writeFile(
    path.join(dir, '2026-11-02T10-00-00Z-hi.yaml'),
    `type: comment\npublished: "2026-11-02T10:00:00Z"\ninReplyTo: ${mine}\ntext: nice garden\n`,
  )
  const c = await next()
  const id = `${ctx.alice!.fingerprint}/2026-11-02T10-00-00Z-hi`
  assert.equal(c.changed, [id])
  assert.is(ctx.index!.byId.get(id)?.author, 'alice')
  assert.equal(
    ctx.index!.repliesTo(mine).map((e) => e.post.id),
    [id],
  )
  assert.equal(ctx.index!.sorted().map((e) => e.post.id)[0], id, 'newest first')
})

test('an edit replaces the entry, a deletion removes it, an invalid edit keeps the last good version', async () => {
  const file = path.join(ctx.feed!.layout.inbox, 'alice', '2026', '11', '2026-11-02T10-00-00Z-hi.yaml')
  const id = `${ctx.alice!.fingerprint}/2026-11-02T10-00-00Z-hi`
  const text = await fs.readFile(file, 'utf8')
  await fs.writeFile(file, text.replace('nice garden', 'lovely garden'))
  await next()
  assert.is(ctx.index!.byId.get(id)?.post.data.text, 'lovely garden')
  await fs.writeFile(file, 'type: comment\npublished: nonsense\n')
  await new Promise((r) => setTimeout(r, 400))
  assert.is(ctx.index!.byId.get(id)?.post.data.text, 'lovely garden')
  await fs.rm(file)
  const c = await next()
  assert.equal(c.removed, [id])
  assert.not.ok(ctx.index!.byId.has(id))
})

test('search: all words, #tags and from:', async () => {
  assert.is(searchEntries(ctx.index!, 'first mine', 10).length, 1)
  assert.is(searchEntries(ctx.index!, 'first nothing', 10).length, 0)
  assert.is(searchEntries(ctx.index!, '#garden', 10).length, 1)
  assert.is(searchEntries(ctx.index!, '#Garden from:me', 10).length, 1)
  assert.is(searchEntries(ctx.index!, '#garden from:alice', 10).length, 0)
})

test.run()
