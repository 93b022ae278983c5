// Benchmark: load + parse + validate 10,000 post files, cold and again with nothing changed (through the cache),
// beside what the disk alone costs for the same files (anchors): reading every file, and a stat of every file.
import fs from 'node:fs'
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import { layout } from '../src/paths.ts'
import { loadPosts } from '../src/posts/load-posts.ts'
import { generateFeed, peakMB, time, tmp } from './util.ts'

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1000
}

/** wall and CPU time of `fn` */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const c0 = process.cpuUsage()
  const [r, ms] = await time(fn)
  return [r, ms, cpuMs(c0)]
}

export async function run(n = Number(process.env.BENCH_POSTS ?? 10_000)) {
  const root = await tmp('peerfeed-bench-load-')
  const files = await generateFeed(root, n)
  const l = layout(root)
  const fingerprint = 'ab'.repeat(20)
  // files written within the last 3 s are re-read once more before the cache trusts them (load-posts.ts): a feed
  // being read is older than that, so the figures below are for files older than that too
  await new Promise((r) => setTimeout(r, 3100))
  const [cold, coldMs, coldCpu] = await timed(() => loadPosts(l, { fingerprint }))
  if (cold.problems.length || cold.posts.length !== n) throw new Error(`bench feed did not load: ${cold.problems[0]?.message}`)
  await new Promise((r) => setTimeout(r, 3100))
  const [warm, warmMs, warmCpu] = await timed(() => loadPosts(l, { fingerprint }))
  if (warm.stats.cached !== n) throw new Error('the cache did not answer every file')
  const [, noCacheMs, noCacheCpu] = await timed(() => loadPosts(l, { fingerprint, cacheFile: false }))
  // a second unchanged load: the figure of a long-running process (the app), its code already compiled
  const [, warm2Ms, warm2Cpu] = await timed(() => loadPosts(l, { fingerprint }))
  const [, readMs, readCpu] = await timed(async () => {
    for (const f of files) fs.readFileSync(f)
  })
  const [, statMs, statCpu] = await timed(async () => {
    for (const f of files) fs.statSync(f)
  })
  console.log(`load: ${n} post files (load average ${os.loadavg()[0].toFixed(2)}, 2 cores shared; CPU time is the steadier figure)`)
  const rate = (ms: number) => Math.round((n / ms) * 1000)
  const verdict = (ms: number, target: number) => (rate(ms) >= target ? 'met' : 'MISSED')
  console.log(
    `  cold (parse + validate + write cache): ${coldMs.toFixed(0)} ms = ${rate(coldMs)} posts/s, cpu ${coldCpu.toFixed(0)} ms = ${rate(coldCpu)} posts/s   (target ≥ 10000 posts/s: wall ${verdict(coldMs, 10_000)}, cpu ${verdict(coldCpu, 10_000)}; ${(coldCpu / readCpu).toFixed(1)}× reading the files, cpu)`,
  )
  console.log(
    `  again without cache (JIT warm):        ${noCacheMs.toFixed(0)} ms = ${rate(noCacheMs)} posts/s, cpu ${noCacheCpu.toFixed(0)} ms`,
  )
  console.log(
    `  unchanged, through the cache:          ${warmMs.toFixed(0)} ms = ${rate(warmMs)} posts/s, cpu ${warmCpu.toFixed(0)} ms = ${rate(warmCpu)} posts/s   (target ≥ 100000 posts/s: wall ${verdict(warmMs, 100_000)}, cpu ${verdict(warmCpu, 100_000)}; ${(warmCpu / statCpu).toFixed(1)}× a stat of every file, cpu)`,
  )
  console.log(
    `  unchanged, through the cache, again:   ${warm2Ms.toFixed(0)} ms = ${rate(warm2Ms)} posts/s, cpu ${warm2Cpu.toFixed(0)} ms = ${rate(warm2Cpu)} posts/s`,
  )
  console.log(
    `  anchors: reading every file ${readMs.toFixed(0)} ms (cpu ${readCpu.toFixed(0)} ms); a stat of every file ${statMs.toFixed(0)} ms (cpu ${statCpu.toFixed(0)} ms) — the cache must stat each one`,
  )
  console.log(`  peak memory: ${peakMB()} MB`)
  fs.rmSync(root, { recursive: true, force: true })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
