// One feed on two devices (Ada's A and B, sharing it through a bare git repo) and a friend, Bob, who syncs from
// either: B builds offline with a slow clock, the devices merge, and Bob ends with every post once — no holes.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import { byAudience, deriveLedger, versionOf } from '../../src/build/ledger.ts'
import { readLedger } from '../../src/build/ledger-log.ts'
import { addPeer } from '../../src/identity/index.ts'
import { layout, type Layout } from '../../src/paths.ts'
import { initFeed } from '../../src/posts/init-feed.ts'
import { writePost } from '../../src/posts/write-post.ts'
import { startServer, type RunningServer } from '../../src/server/index.ts'
import { follow } from '../../src/sync/index.ts'
import { loadTimeline } from '../../src/timeline/load-timeline.ts'
import { git as gitIn, tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const git = async (l: Layout | string, ...args: string[]) => (await gitIn(typeof l === 'string' ? l : l.root, ...args)).trim()
const test = suite('one feed on two devices')
const T0 = Date.parse('2026-11-25T10:00:00Z')
const MIN = 60_000
let dir: string
let A: Layout, B: Layout
let bob: TestFeed
let serverA: RunningServer, serverB: RunningServer
const stems: Record<string, string> = {}

const commitAll = async (l: Layout, msg: string) => {
  await git(l, 'add', '-A')
  await git(l, 'commit', '-q', '-m', msg)
}
const post = async (l: Layout, text: string, at: number, to?: string[]) =>
  (await writePost(l, { data: { type: 'status', text, ...(to ? { to } : {}) } }, new Date(at))).stem
const postFile = async (l: Layout, stem: string) => {
  const f = (await fs.readdir(l.feed, { recursive: true })).find((x) => x.endsWith(`${stem}.yaml`))!
  return path.join(l.feed, f)
}
const build = (l: Layout, at: number) => buildFeed(l, { now: () => at })
async function syncFrom(server: RunningServer) {
  await follow(bob.layout, 'ada', server.url)
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0]?.error))
  return s
}
const bobCursor = async () => JSON.parse(await fs.readFile(path.join(bob.layout.state, 'sync', 'ada.json'), 'utf8')).cursor as string

test.before(async () => {
  dir = await tempDir('peerfeed-devices-')
  await git(dir, 'init', '-q', '--bare', 'origin.git')
  A = layout(path.join(dir, 'A'))
  await initFeed(A, { name: 'Ada', email: 'ada@example.org' })
  bob = await makeFeed('bob')
  await addPeer(A, 'bob', bob.layout.selfPublicKey)
  await addPeer(bob.layout, 'ada', A.selfPublicKey)
  await commitAll(A, 'Ada and her friend Bob')
  await git(A, 'remote', 'add', 'origin', path.join(dir, 'origin.git'))
  await git(A, 'push', '-q', '-u', 'origin', 'HEAD')
})

test.after(async () => {
  await serverA?.close()
  await serverB?.close()
  await bob?.close()
  await fs.rm(dir, { recursive: true, force: true })
})

test('A posts and serves; Bob syncs from A', async () => {
  stems.p1 = await post(A, 'first public post', T0 - 5 * MIN)
  stems.p2 = await post(A, 'a secret for bob', T0 - 4 * MIN, ['bob'])
  await build(A, T0)
  await commitAll(A, 'two posts')
  await git(A, 'push', '-q')
  serverA = await startServer({ layout: A, port: 0 })
  const s = await syncFrom(serverA)
  assert.is(s.new, 2)

  // device B: a clone of the feed and the same secret key
  B = layout(path.join(dir, 'B'))
  await git(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'B')
  await fs.mkdir(B.state, { recursive: true })
  await fs.copyFile(A.selfSecretKey, B.selfSecretKey)
})

test('B, offline with a slow clock, posts twice and edits; A posts, deletes, and Bob syncs from A', async () => {
  stems.b1 = await post(B, 'from the laptop, offline', T0 - 20 * MIN)
  stems.b2 = await post(B, 'laptop secret for bob', T0 - 19 * MIN, ['bob'])
  const p1 = await postFile(B, stems.p1)
  await fs.writeFile(p1, (await fs.readFile(p1, 'utf8')).replace('first public post', 'first public post, edited on the laptop'))
  await build(B, T0 - 10 * MIN) // B's clock is ten minutes slow, and it has not seen A's newer builds
  await commitAll(B, 'laptop posts')

  stems.a3 = await post(A, 'third post from the desktop', T0 + MIN)
  await fs.rm(await postFile(A, stems.p2))
  await build(A, T0 + MIN)
  await commitAll(A, 'one more, one gone')
  await git(A, 'push', '-q')
  const s = await syncFrom(serverA)
  assert.is(s.new, 1)
  assert.is(s.deleted, 1)

  // the point of the test: B wrote cursors below what Bob already holds from A
  const bLines = (await readLedger(B.root)).builds.flatMap((b) => b.entries)
  const b1 = bLines.find((e) => e.stem === stems.b1)!
  assert.ok(BigInt(b1.c) < BigInt(await bobCursor()), "B handed out a cursor below Bob's: the case needs the merge rule")
})

test('B refuses to build on a diverged history and says how to merge', async () => {
  await git(B, 'fetch', '-q')
  try {
    await build(B, T0 - 9 * MIN)
    assert.unreachable('built on a diverged history')
  } catch (e) {
    assert.is((e as { code?: string }).code, 'DIVERGED', String(e))
    assert.match((e as Error).message, 'pull --no-rebase')
    assert.match((e as Error).message, 'git -C')
  }
})

test('after merging both ways, both devices agree on every cursor', async () => {
  await git(B, 'pull', '-q', '--no-rebase', '--no-edit')
  await build(B, T0 - 9 * MIN)
  await git(B, 'push', '-q')
  await git(A, 'pull', '-q', '--no-rebase', '--no-edit')
  await build(A, T0 + 2 * MIN)
  const view = async (l: Layout) => {
    const v = deriveLedger((await readLedger(l.root)).builds)
    return JSON.stringify([
      v.last,
      [...v.slots.keys()].sort().map((s) => [s, versionOf(v, s)]),
      [...byAudience(v)].sort().map(([a, l]) => [a, l.slots.map((slot, i) => [v.stems[slot], l.cs[i]]).sort()]),
    ])
  }
  assert.is(await view(A), await view(B))
  assert.is(await git(A, 'status', '--porcelain', 'ledger'), '', 'the build committed its ledger lines')
})

test('Bob syncs alternately from B and A and ends with every post once, edits and deletions applied', async () => {
  serverB = await startServer({ layout: B, port: 0 })
  let s = await syncFrom(serverB)
  assert.is(s.new, 2, 'both laptop posts')
  assert.is(s.updated, 1, 'the edit made on the laptop')
  s = await syncFrom(serverA)
  assert.is(s.new + s.updated + s.deleted, 0)

  stems.a4 = await post(A, 'desktop again', T0 + 3 * MIN)
  await build(A, T0 + 3 * MIN)
  await commitAll(A, 'a4')
  await git(A, 'push', '-q')
  stems.b5 = await post(B, 'laptop again, slow clock', T0 - 8 * MIN, ['bob'])
  await commitAll(B, 'b5')
  await git(B, 'pull', '-q', '--no-rebase', '--no-edit')
  await build(B, T0 - 8 * MIN)
  await git(B, 'push', '-q')
  s = await syncFrom(serverB)
  assert.is(s.new, 2, 'a4 through B, and b5')
  await git(A, 'pull', '-q', '--no-rebase', '--no-edit')
  await build(A, T0 + 4 * MIN)
  s = await syncFrom(serverA)
  assert.is(s.new + s.updated + s.deleted, 0)

  const expected = [stems.p1, stems.b1, stems.b2, stems.a3, stems.a4, stems.b5].sort()
  assert.equal(await bob.inbox('ada'), expected)
  const files = await fs.readdir(path.join(bob.layout.inbox, 'ada'), { recursive: true })
  const p1 = files.find((f) => f.endsWith(`${stems.p1}.yaml`))!
  assert.match(await fs.readFile(path.join(bob.layout.inbox, 'ada', p1), 'utf8'), 'edited on the laptop')
  const tl = await loadTimeline(bob.layout, { from: 'ada', limit: 100 })
  const ids = tl.items.map((i) => i.post.id)
  assert.is(ids.length, expected.length)
  assert.is(new Set(ids).size, ids.length, 'each post once in the timeline')
})

test.run()
