// A sync killed at any moment (SIGKILL, no cleanup) leaves no half-written post and a stale lock that the next
// sync takes over; the next sync completes.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateFeed } from '../../bench/util.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { BIN } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('interrupted sync')
let alice: TestFeed, bob: TestFeed
const N = 1200

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  await generateFeed(alice.layout.root, N, { to: (i) => (i % 4 === 0 ? undefined : ['bob']) })
  await alice.build()
  await bob.follow('alice', (await alice.serve()).url)
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

/** Starts `peerfeed sync` and SIGKILLs it `ms` after it printed its first progress line. */
function killedSync(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--root', bob.layout.root], { stdio: ['ignore', 'ignore', 'pipe'] })
    let armed = false
    child.stderr.on('data', () => {
      if (armed) return
      armed = true
      setTimeout(() => child.kill('SIGKILL'), ms)
    })
    child.on('close', () => resolve())
  })
}

test('killed mid-sync: no partial posts, stale lock taken over, next sync completes', async () => {
  let killedMidway = 0
  for (const ms of [150, 600]) {
    await killedSync(ms)
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
  }
  assert.ok(killedMidway > 0, 'no kill landed during a sync')
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is((await bob.inbox('alice')).length, N)
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
