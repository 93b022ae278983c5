// A sync killed mid-batch leaves files its state does not know; when the author then deletes one of those posts,
// the next sync must still remove it: the inbox converges to the author's set whatever was interrupted.
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { RunningServer } from '../../src/server/index.ts'
import { BIN, REPO, tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { relay, type Relay } from '../helpers/relay.ts'

const test = suite('sync: interrupted, then a deletion')
let alice: TestFeed, bob: TestFeed, honest: RunningServer, hold: Relay
const cleanup: string[] = []

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const dir = await tempDir('peerfeed-photo-')
  cleanup.push(dir)
  await fs.writeFile(path.join(dir, 'us.png'), crypto.randomBytes(1500))
  await alice.post({ text: 'soon deleted', to: ['bob'] }, { now: new Date(Date.UTC(2026, 0, 1)) })
  await alice.post(
    { type: 'image', text: 'a photo of us', to: ['bob'] },
    { files: [{ source: path.join(dir, 'us.png'), alt: 'us' }], now: new Date(Date.UTC(2026, 0, 2)) },
  )
  await alice.build()
  honest = await alice.serve()
})
test.after(async () => {
  await hold?.close()
  for (const d of cleanup) await fs.rm(d, { recursive: true, force: true })
  await alice?.close()
  await bob?.close()
})

test('a post stored by a sync killed mid-batch, then deleted by its author, leaves the inbox on the next sync', async () => {
  let blobAsked: () => void = () => {}
  const asked = new Promise<void>((r) => (blobAsked = r))
  // The attachment's blob never comes: the batch stays half-done until the sync is killed.
  hold = await relay(honest.url, (req, forward) => {
    if (req.method === 'GET' && req.path.startsWith('/p/')) {
      blobAsked()
      return new Promise(() => {})
    }
    return forward()
  })
  await bob.follow('alice', hold.url)
  const child = spawn(process.execPath, [BIN, 'sync', '--root', bob.layout.root, '--no-lan', '--no-dht'], { cwd: REPO, stdio: 'ignore' })
  const exited = new Promise((r) => child.once('exit', r))
  await asked
  child.kill('SIGKILL')
  await exited
  // Whatever the killed run left in place (its state does not know it), the author now deletes the text post.
  const deleted = '2026-01-01T00-00-00Z-soon-deleted'

  await fs.rm(await alice.postFile(deleted))
  await alice.build()
  await bob.follow('alice', honest.url)
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  const after = await bob.inbox('alice')
  assert.not.ok(after.includes(deleted), `the deleted post is still in the inbox: ${after.join(', ')}`)
  assert.is(after.length, 1)
  assert.match(after[0], 'a-photo-of-us')
  // and a full sync agrees
  const full = await bob.sync({ full: true })
  assert.is(full.failed, 0)
  assert.equal(await bob.inbox('alice'), after)
})

test.run()
