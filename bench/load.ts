// Benchmark: load + parse + validate 10,000 post files, cold and again with nothing changed (through the cache).
import { pathToFileURL } from 'node:url'
import { layout } from '../src/paths.ts'
import { loadPosts } from '../src/posts/load-posts.ts'
import { generateFeed, peakMB, time, tmp } from './util.ts'

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1000
}

export async function run(n = Number(process.env.BENCH_POSTS ?? 10_000)) {
  const root = await tmp('peerfeed-bench-load-')
  await generateFeed(root, n)
  const l = layout(root)
  const fingerprint = 'ab'.repeat(20)
  // files written within the last 3 s are re-read once more before the cache trusts them (load-posts.ts): a feed
  // being read is older than that, so the figures below are for files older than that too
  await new Promise((r) => setTimeout(r, 3100))
  let c0 = process.cpuUsage()
  const [cold, coldMs] = await time(() => loadPosts(l, { fingerprint }))
  const coldCpu = cpuMs(c0)
  if (cold.problems.length || cold.posts.length !== n) throw new Error(`bench feed did not load: ${cold.problems[0]?.message}`)
  await new Promise((r) => setTimeout(r, 3100))
  c0 = process.cpuUsage()
  const [warm, warmMs] = await time(() => loadPosts(l, { fingerprint }))
  const warmCpu = cpuMs(c0)
  if (warm.stats.cached !== n) throw new Error('the cache did not answer every file')
  const [, noCacheMs] = await time(() => loadPosts(l, { fingerprint, cacheFile: false }))
  console.log(`load: ${n} post files`)
  const rate = (ms: number) => Math.round((n / ms) * 1000)
  console.log(
    `  cold (parse + validate + write cache): ${coldMs.toFixed(0)} ms = ${rate(coldMs)} posts/s   (target ≥ 10000 posts/s: ${rate(coldMs) >= 10_000 ? 'met' : 'MISSED'}; cpu ${coldCpu.toFixed(0)} ms = ${rate(coldCpu)} posts/s)`,
  )
  console.log(`  again without cache (JIT warm):        ${noCacheMs.toFixed(0)} ms = ${rate(noCacheMs)} posts/s`)
  console.log(
    `  unchanged, through the cache:          ${warmMs.toFixed(0)} ms = ${rate(warmMs)} posts/s   (target ≥ 100000 posts/s: ${rate(warmMs) >= 100_000 ? 'met' : 'MISSED'}; cpu ${warmCpu.toFixed(0)} ms = ${rate(warmCpu)} posts/s)`,
  )
  console.log(`  peak memory: ${peakMB()} MB`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
