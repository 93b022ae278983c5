// Entries are stored in batches of a few answers: when one batch fails to store, no later batch is stored, the saved
// cursor claims only posts whose files are on disk, and the next sync brings the rest.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateFeed } from '../../bench/util.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { compareCursors } from '../../src/protocol/cursor-order.ts'
import type { SyncState } from '../../src/sync/sync-state.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('sync batches')
let alice: TestFeed, bob: TestFeed
const N = 1500
// answers hold up to 500 entries; batches of 100 make each answer its own batch: three of them
const limits = { batchEntries: 100 }
let stems: string[] = []

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const files = await generateFeed(alice.layout.root, N, { to: () => ['bob'] })
  stems = files.map((f) => path.basename(f, '.yaml'))
  await alice.build()
  await bob.follow('alice', (await alice.serve()).url)
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

const readState = async () => JSON.parse(await fs.readFile(path.join(bob.layout.state, 'sync', 'alice.json'), 'utf8')) as SyncState

test('a batch that cannot be stored stops the sync; later batches are not stored; the cursor claims only files on disk', async () => {
  const inbox = path.join(bob.layout.inbox, 'alice')
  // a folder where the middle post's file must go: renaming the post over it fails, so its batch fails
  const blocked = stems[Math.floor(N / 2)]
  const blocker = path.join(inbox, '2025', '01', `${blocked}.yaml`)
  await fs.mkdir(path.join(blocker, 'in-the-way'), { recursive: true })

  const failed = await bob.sync({ limits })
  assert.is(failed.failed, 1, 'the sync of alice reports the failure')
  const state = await readState()
  assert.ok(state.cursor, 'the batch before the failing one was stored and moved the cursor')
  const held = Object.entries(state.held)
  assert.ok(held.length > 0 && held.length < N, `${held.length} posts held`)
  for (const [stem, h] of held) {
    // every post the state holds is on disk, whole
    const text = await fs.readFile(path.join(inbox, h.f!), 'utf8')
    assert.equal(parsePost(text, `${stem}.yaml`).problems, [], `${stem} is whole`)
    assert.ok(compareCursors(h.c, state.cursor!) <= 0, `${stem} is covered by the cursor`)
  }
  await fs.rm(blocker, { recursive: true })
  const again = await bob.sync({ limits })
  assert.is(again.failed, 0, JSON.stringify(again.friends[0].error))
  assert.is((await bob.inbox('alice')).length, N, 'the next sync brings every post')
  const after = await readState()
  // nothing after the failing batch had been stored: every post the first run held comes before the blocked one
  for (const [stem] of held) assert.ok(compareCursors(after.held[stem].c, after.held[blocked].c) < 0, `${stem} came before ${blocked}`)
  assert.ok(compareCursors(state.cursor!, after.held[blocked].c) < 0, 'the first cursor stopped before the post that was not stored')
  const leftovers = (await fs.readdir(inbox, { recursive: true })).map(String).filter((f) => f.endsWith('.tmp'))
  assert.equal(leftovers, [])
})

test.run()
