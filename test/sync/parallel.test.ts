// Friends are synced in parallel with a short deadline per route: unreachable friends fail in plain words while a
// live friend's posts arrive; each friend's last sync is kept per device. (Durations are measured in bench/.)
import http from 'node:http'
import net from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readAllSyncStatus, type SyncEvent } from '../../src/sync/index.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('parallel sync')
let alice: TestFeed, bob: TestFeed, carol: TestFeed, dave: TestFeed
let aliceUrl: string, silentUrl: string, deadUrl: string
const closers: (() => Promise<void>)[] = []

/** Accepts connections and never answers: a friend whose machine hangs, the worst kind of unreachable. */
async function silentServer(): Promise<string> {
  const sockets = new Set<net.Socket>()
  const s = net.createServer((c) => {
    sockets.add(c)
    c.on('error', () => {})
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  closers.push(
    () =>
      new Promise((r) => {
        for (const c of sockets) c.destroy()
        s.close(() => r())
      }),
  )
  return `http://127.0.0.1:${(s.address() as net.AddressInfo).port}/`
}

/** A port nobody listens on: connection refused. */
async function closedPort(): Promise<string> {
  const s = http.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as net.AddressInfo
  await new Promise((r) => s.close(r))
  return `http://127.0.0.1:${port}/`
}

test.before(async () => {
  ;[alice, bob, carol, dave] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol'), makeFeed('dave')])
  for (const f of [alice, carol, dave]) {
    await bob.befriend(f)
    await f.befriend(bob)
  }
  await alice.post({ text: 'for bob', to: ['bob'] })
  await alice.post({ text: 'for everyone' })
  await alice.build()
  aliceUrl = (await alice.serve()).url
  silentUrl = await silentServer()
  deadUrl = await closedPort()
  await bob.follow('carol', silentUrl)
  await bob.follow('alice', aliceUrl)
  await bob.follow('dave', deadUrl)
})
test.after(async () => {
  for (const c of closers) await c()
  await Promise.all([alice, bob, carol, dave].map((f) => f?.close()))
})

test('a live friend finishes while two unreachable ones run at the same time and fail in plain words', async () => {
  const events: SyncEvent[] = []
  const s = await bob.sync({ reachMs: 1500, onEvent: (e) => events.push(e) })
  const at = (type: SyncEvent['type'], name: string) => events.findIndex((e) => e.type === type && e.name === name)
  // Reports keep the followed order (alphabetical); events come as each friend ends.
  assert.equal(
    s.friends.map((f) => f.name),
    ['alice', 'carol', 'dave'],
  )
  assert.is(s.new, 2)
  assert.is(s.failed, 2)
  assert.is(s.friends[0].error, undefined)
  assert.is(s.friends[1].error?.code, 'UNREACHABLE')
  assert.match(s.friends[1].error!.message, `could not reach carol: url ${silentUrl}: no answer within 1.5 s`)
  assert.is(s.friends[2].error?.code, 'UNREACHABLE')
  assert.match(s.friends[2].error!.message, `could not reach dave: url ${deadUrl}: connection refused`)
  // The silent friend did not hold anyone up: alice finished before carol failed; all three were under way at once.
  assert.ok(
    at('finished', 'alice') >= 0 && at('finished', 'alice') < at('failed', 'carol'),
    events.map((e) => `${e.type} ${e.name}`).join(', '),
  )
  const lastStart = Math.max(at('started', 'alice'), at('started', 'carol'), at('started', 'dave'))
  assert.ok(lastStart < at('finished', 'alice') && lastStart < at('failed', 'carol'), 'all three started before any ended')
  assert.ok(at('route', 'carol') > at('started', 'carol'), 'the route tried is reported')
  const failed = events.find((e) => e.type === 'failed' && e.name === 'carol')
  assert.is(failed?.type === 'failed' && failed.error.code, 'UNREACHABLE')
  assert.equal((await bob.inbox('alice')).length, 2)
})

test('the last sync of each friend is kept: when, how many posts, the error in plain words; success survives a failure', async () => {
  let status = await readAllSyncStatus(bob.layout)
  assert.equal([...status.keys()].sort(), ['alice', 'carol', 'dave'])
  const a = status.get('alice')!
  assert.is(a.ok, true)
  assert.is(a.posts, 2)
  assert.ok(Date.now() - Date.parse(a.at) < 120_000)
  assert.is(a.lastOk, a.at)
  assert.is(status.get('carol')!.ok, false)
  assert.match(status.get('carol')!.error!, 'no answer within 1.5 s')
  // Alice goes offline: her status says so, and still remembers when she last synced fine.
  await bob.follow('alice', deadUrl)
  await bob.sync({ names: ['alice'], reachMs: 1500 })
  status = await readAllSyncStatus(bob.layout)
  assert.is(status.get('alice')!.ok, false)
  assert.match(status.get('alice')!.error!, 'connection refused')
  assert.is(status.get('alice')!.lastOk, a.at)
  await bob.follow('alice', aliceUrl)
})

test('a stop signal ends a sync at once: friends not yet done report that it was stopped', async () => {
  const ac = new AbortController()
  const pending = bob.sync({
    names: ['carol'],
    reachMs: 60_000,
    signal: ac.signal,
    onEvent: (e) => {
      if (e.type === 'route') ac.abort(new Error('the app is closing'))
    },
  })
  const s = await pending
  assert.is(s.friends[0].error?.code, 'STOPPED')
  assert.match(s.friends[0].error!.message, 'the app is closing')
})

test('`peerfeed sync` prints one line per friend as each finishes, the silent one last', async () => {
  const r = await cli(['sync', '--root', bob.layout.root, '--no-lan', '--no-dht'], { env: { PEERFEED_REACH_MS: '5000' } })
  assert.is(r.code, 1, r.stderr)
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith(' '))
  assert.ok(
    lines.some((l) => /^alice: 0 new, 0 updated, 0 deleted, 0 rejected \[\d+\.\d s\]$/.test(l)),
    r.stdout,
  )
  assert.ok(
    lines.some((l) => l.startsWith(`dave: FAILED (could not reach dave: url ${deadUrl}: connection refused`)),
    r.stdout,
  )
  assert.ok(
    lines.some((l) => l.startsWith(`carol: FAILED (could not reach carol: url ${silentUrl}: no answer within 5 s`)),
    r.stdout,
  )
  assert.ok(lines.findIndex((l) => l.startsWith('carol:')) === 2, 'the silent friend ends last')
  assert.is(lines.at(-1), 'synced 3 friend(s): 0 new, 0 updated, 0 deleted, 0 rejected, 2 failed')
  assert.not.match(r.stderr, 'DHT')
})

test.run()
