// Benchmark: load + parse + validate 10,000 post files, cold and again with nothing changed (through the cache).
import { pathToFileURL } from 'node:url'
import { layout } from '../src/paths.ts'
import { loadPosts } from '../src/posts/load-posts.ts'
import { generateFeed, peakMB, time, tmp } from './util.ts'

export async function run(n = Number(process.env.BENCH_POSTS ?? 10_000)) {
  const root = await tmp('peerfeed-bench-load-')
  await generateFeed(root, n)
  const l = layout(root)
  const fingerprint = 'ab'.repeat(20)
  const [cold, coldMs] = await time(() => loadPosts(l, { fingerprint }))
  if (cold.problems.length || cold.posts.length !== n) throw new Error(`bench feed did not load: ${cold.problems[0]?.message}`)
  const [warm, warmMs] = await time(() => loadPosts(l, { fingerprint }))
  if (warm.stats.cached !== n) throw new Error('the cache did not answer every file')
  const [, noCacheMs] = await time(() => loadPosts(l, { fingerprint, cacheFile: false }))
  console.log(`load: ${n} post files`)
  console.log(`  cold (parse + validate + write cache): ${coldMs.toFixed(0)} ms = ${Math.round(n / coldMs * 1000)} posts/s`)
  console.log(`  again without cache (JIT warm):        ${noCacheMs.toFixed(0)} ms = ${Math.round(n / noCacheMs * 1000)} posts/s`)
  console.log(`  unchanged, through the cache:          ${warmMs.toFixed(0)} ms = ${Math.round(n / warmMs * 1000)} posts/s`)
  console.log(`  peak memory: ${peakMB()} MB`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
