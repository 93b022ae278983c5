// A sync killed at any moment (SIGKILL, no cleanup) leaves no half-written post, a saved cursor that claims only
// posts whose files are in place, and a stale lock that the next sync takes over; the next sync completes.
import { spawn } from 'node:child_process'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateFeed } from '../../bench/util.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { compareCursors } from '../../src/protocol/cursor-order.ts'
import type { SyncState } from '../../src/sync/sync-state.ts'
import { BIN } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('interrupted sync')
let alice: TestFeed, bob: TestFeed
const N = 1200
/** the stems of alice's public posts (the others are private to bob) */
const isPublic = new Set<string>()

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const files = await generateFeed(alice.layout.root, N, { to: (i) => (i % 4 === 0 ? undefined : ['bob']) })
  files.forEach((f, i) => i % 4 === 0 && isPublic.add(path.basename(f, '.yaml')))
  await alice.build()
  await bob.follow('alice', (await alice.serve()).url)
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

const syncDir = () => path.join(bob.layout.state, 'sync')
const stateFile = () => path.join(syncDir(), 'alice.json')
const mtime = (f: string) => fsSync.statSync(f, { throwIfNoEntry: false })?.mtimeMs

/**
 * Starts `peerfeed sync` and SIGKILLs it when `when(ms since its first progress line)` says so, checked every 2 ms
 * (or lets it finish).
 */
function killedSync(when: (ms: number) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--root', bob.layout.root], { stdio: ['ignore', 'ignore', 'pipe'] })
    let poll: NodeJS.Timeout | undefined
    child.stderr.on('data', () => {
      if (poll) return
      const t = Date.now()
      poll = setInterval(() => when(Date.now() - t) && child.kill('SIGKILL'), 2)
    })
    child.on('close', () => {
      clearInterval(poll)
      resolve()
    })
  })
}

test('killed mid-sync: no partial posts, the cursor claims only posts in place, stale lock taken over, next sync completes', async () => {
  let killedMidway = 0
  /** what each killed run left: its saved cursors and the post files in place */
  const left: { cursor: string | null; publicCursor: string | null; files: Set<string> }[] = []
  const kills: (() => (ms: number) => boolean)[] = [
    () => (ms) => ms > 150,
    // while a batch is being written (its journal is there until the state that ends it is saved)
    () => () => fsSync.existsSync(path.join(syncDir(), 'alice.pending.json')),
    // right after a batch was saved
    () => {
      const before = mtime(stateFile())
      return () => mtime(stateFile()) !== before
    },
    () => () => fsSync.existsSync(path.join(syncDir(), 'alice.pending.json')),
  ]
  for (const kill of kills) {
    await killedSync(kill())
    if (
      await fs.access(path.join(bob.layout.state, 'sync', 'alice.lock')).then(
        () => true,
        () => false,
      )
    )
      killedMidway++
    const files = (await fs.readdir(path.join(bob.layout.inbox, 'alice'), { recursive: true }).catch(() => [] as string[])).map(String)
    for (const f of files.filter((x) => x.endsWith('.yaml') && !path.basename(x).startsWith('.'))) {
      const text = await fs.readFile(path.join(bob.layout.inbox, 'alice', f), 'utf8')
      assert.equal(parsePost(text, f).problems, [], `${f} is damaged`)
    }
    const state = await fs.readFile(stateFile(), 'utf8').then(
      (t) => JSON.parse(t) as SyncState,
      () => undefined,
    )
    if (state) {
      for (const h of Object.values(state.held)) if (h.f) assert.ok(files.includes(h.f), `the state holds ${h.f}, which is not in place`)
      left.push({ cursor: state.cursor, publicCursor: state.publicCursor, files: new Set(files) })
    }
  }
  assert.ok(killedMidway > 0, 'no kill landed during a sync')
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is((await bob.inbox('alice')).length, N)
  // every post at or before a cursor a killed run saved was in place when it was killed (a crash may re-fetch, never skip)
  const final = JSON.parse(await fs.readFile(stateFile(), 'utf8')) as SyncState
  assert.ok(
    left.some((l) => l.cursor !== null),
    'a killed run saved a cursor',
  )
  for (const l of left) {
    for (const [stem, h] of Object.entries(final.held)) {
      const cursor = isPublic.has(stem) ? l.publicCursor : l.cursor
      if (cursor !== null && compareCursors(h.c, cursor) <= 0)
        assert.ok(l.files.has(h.f!), `${stem} is claimed by a saved cursor but was not in place`)
    }
  }
  const leftovers = (await fs.readdir(path.join(bob.layout.inbox, 'alice'), { recursive: true }))
    .map(String)
    .filter((f) => f.endsWith('.tmp'))
  assert.equal(leftovers, [])
  await fs.access(path.join(bob.layout.state, 'sync', 'alice.lock')).then(
    () => assert.unreachable('lock left behind'),
    () => {},
  )
  const again = await bob.sync()
  assert.is(again.new + again.updated + again.deleted, 0)
})

test.run()
