// Background sync as the app runs it: 50 followed friends, 10 of them unreachable (machines that accept connections and
// never answer, the slowest kind), friends in parallel with a 5 s deadline per route. Target: ≤ 10 s for the run.
import { fork } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { addPeer } from '../src/identity/index.ts'
import { layout, type Layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { follow, REACH_MS, syncAll, type SyncEvent } from '../src/sync/index.ts'
import { writeSyntheticBuild } from './exchange-fixture.ts'
import { tmp } from './util.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const LIVE = 40
const DOWN = 10
const POSTS = 50

export async function run() {
  const base = await tmp('peerfeed-bench-appsync-')
  const bob = layout(path.join(base, 'bob'))
  await initFeed(bob, { name: 'Bob', email: 'bob@example.org' })
  const friends: Layout[] = []
  for (let i = 0; i < LIVE + DOWN; i++) {
    const l = layout(path.join(base, `f${i}`))
    await initFeed(l, { name: `Friend ${i}`, email: `f${i}@example.org` })
    await addPeer(bob, `f${i}`, l.selfPublicKey)
    if (i < LIVE) {
      await addPeer(l, 'bob', bob.selfPublicKey)
      await writeSyntheticBuild(l, { name: 'bob', keyFile: bob.selfPublicKey }, POSTS)
    }
    friends.push(l)
  }
  const child = fork(
    path.join(here, 'children', 'many-servers.ts'),
    [JSON.stringify({ roots: friends.slice(0, LIVE).map((l) => l.root), silent: DOWN })],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  const { urls, silent } = await new Promise<{ urls: string[]; silent: string[] }>((resolve) =>
    child.once('message', (m) => resolve(m as never)),
  )
  try {
    for (let i = 0; i < LIVE + DOWN; i++) await follow(bob, `f${i}`, i < LIVE ? urls[i] : silent[i - LIVE])
    const ends: { name: string; ms: number; ok: boolean }[] = []
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const s = await syncAll(bob, {
      concurrency: Number(process.env.BENCH_CONCURRENCY) || undefined,
      onEvent: (e: SyncEvent) => {
        if (e.type === 'finished' || e.type === 'failed') ends.push({ name: e.name, ms: performance.now() - t0, ok: e.type === 'finished' })
      },
    })
    const total = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const [load1] = (await import('node:os')).loadavg()
    const live = ends
      .filter((e) => e.ok)
      .map((e) => e.ms)
      .sort((a, b) => a - b)
    const down = ends
      .filter((e) => !e.ok)
      .map((e) => e.ms)
      .sort((a, b) => a - b)
    const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(
      `app sync: ${LIVE + DOWN} friends (${LIVE} live with ${POSTS} posts each, ${DOWN} that never answer), per-route deadline ${REACH_MS / 1000} s`,
    )
    console.log(
      `  whole run: ${sec(total)} (target ≤ 10 s: ${total <= 10_000 ? 'met' : 'MISSED'}); ${s.new} posts arrived, ${s.failed} friends failed`,
    )
    console.log(
      `  live friends done: first ${sec(live[0])}, median ${sec(live[Math.floor(live.length / 2)])}, last ${sec(live[live.length - 1])}`,
    )
    console.log(
      `  CPU time of the syncing process: ${sec((cpu.user + cpu.system) / 1000)}; machine load average ${load1.toFixed(1)} on ${(await import('node:os')).cpus().length} cores (a busy machine delays every timer and answer)`,
    )
    console.log(
      `  unreachable friends reported: first ${sec(down[0])}, last ${sec(down[down.length - 1])} — "${s.friends.find((f) => f.error)?.error?.message}"`,
    )
  } finally {
    child.send({ cmd: 'exit' })
    await new Promise((r) => child.once('exit', r))
    await fs.rm(base, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
