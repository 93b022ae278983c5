// Background sync: the interval setting, one run at a time, syncNow joins a run in progress, close() stops it all.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { saveConfig } from '../../src/identity/index.ts'
import { DEFAULT_SYNC_INTERVAL_MS, parseSyncInterval, startBackgroundSync, syncInterval } from '../../src/sync/background.ts'
import type { SyncSummary } from '../../src/sync/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('background sync')
let alice: TestFeed, bob: TestFeed

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  await alice.post({ text: 'hello bob', to: ['bob'] })
  await alice.build()
  await bob.follow('alice', (await alice.serve()).url)
})
test.after(async () => {
  await alice?.close()
  await bob?.close()
})

const empty: SyncSummary = { friends: [], new: 0, updated: 0, deleted: 0, rejected: 0, failed: 0 }

test('the interval comes from peerfeed.yaml: 15 minutes by default, durations or off, nonsense refused', async () => {
  assert.is(await syncInterval(bob.layout), DEFAULT_SYNC_INTERVAL_MS)
  assert.is(DEFAULT_SYNC_INTERVAL_MS, 15 * 60_000)
  await saveConfig(bob.layout, { sync: { interval: '90s' } })
  assert.is(await syncInterval(bob.layout), 90_000)
  assert.is(parseSyncInterval(30), 30 * 60_000)
  assert.is(parseSyncInterval('1h'), 3_600_000)
  assert.is(parseSyncInterval('off'), 0)
  await saveConfig(bob.layout, { sync: { interval: 'soon' } })
  try {
    await syncInterval(bob.layout)
    assert.unreachable()
  } catch (e) {
    assert.match((e as Error).message, 'peerfeed.yaml: sync.interval must be a duration of at least 10 s such as 15m')
  }
  assert.throws(() => parseSyncInterval('1s'), /at least 10 s/)
  await saveConfig(bob.layout, { sync: undefined })
})

test('runs on its timer, one run at a time; syncNow joins the run in progress', async () => {
  let runs = 0
  let release!: () => void
  const bg = await startBackgroundSync(bob.layout, {
    intervalMs: 60_000,
    firstAfterMs: 10,
    run: async () => {
      runs++
      await new Promise<void>((r) => (release = r))
      return empty
    },
  })
  try {
    while (!bg.running) await new Promise((r) => setTimeout(r, 5))
    assert.is(runs, 1)
    const joined = bg.syncNow()
    assert.is(joined, bg.running, 'syncNow while running returns the same run')
    release()
    assert.equal(await joined.done, empty)
    assert.is(bg.running, undefined)
    assert.ok(bg.nextAt && bg.nextAt.getTime() > Date.now() + 30_000, 'the next run is one interval after this one ended')
    const again = bg.syncNow()
    assert.is(runs, 2)
    release()
    await again.done
  } finally {
    await bg.close()
  }
})

test("the real run brings a friend's posts home; close() stops a run in flight and the timer", async () => {
  const seen: string[] = []
  const bg = await startBackgroundSync(bob.layout, {
    intervalMs: 0,
    lan: false,
    dht: false,
    onEvent: (e) => seen.push(`${e.type} ${e.name}`),
  })
  try {
    assert.is(bg.nextAt, undefined, 'interval 0: only syncNow')
    const r = await bg.syncNow().done
    assert.ok('friends' in r, JSON.stringify(r))
    assert.is((r as SyncSummary).new, 1)
    assert.equal(
      seen.filter((s) => !s.startsWith('route')),
      ['started alice', 'finished alice'],
    )
    assert.is((await bob.inbox('alice')).length, 1)
  } finally {
    await bg.close()
  }
  // A run that never ends on its own is stopped by close().
  let signalled = false
  const stuck = await startBackgroundSync(bob.layout, {
    intervalMs: 60_000,
    run: ({ signal }) =>
      new Promise((resolve) =>
        signal.addEventListener('abort', () => {
          signalled = true
          resolve(empty)
        }),
      ),
  })
  stuck.syncNow()
  await stuck.close()
  assert.ok(signalled)
  assert.is(stuck.nextAt, undefined)
  assert.equal(await stuck.syncNow().done, { error: { code: 'STOPPED', message: 'background sync is closed' } })
})

test.run()
