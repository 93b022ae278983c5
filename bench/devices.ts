// Benchmark: a 100,000-version cursor ledger written by two devices — the git merge of their histories, reading the
// merged ledger with effective cursors (what a build does first), a build's ledger step, and the bytes per version.
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { advanceLedger, deriveLedger, hash16, type LedgerView, versionCount } from '../src/build/ledger.ts'
import { clearLedgerCache, ledgerView } from '../src/build/ledger-cache.ts'
import { appendBuild, formatBuild, LEDGER_DIR, LEDGER_HEADER, readLedger, type LogBuild } from '../src/build/ledger-log.ts'
import type { Post } from '../src/posts/types.ts'
import { run as runCmd } from '../test/helpers/index.ts'
import { tmp } from './util.ts'

/** Wall and CPU milliseconds: the machine is shared, and CPU time is what the step itself costs. */
async function time<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const c = process.cpuUsage()
  const t = performance.now()
  const r = await fn()
  const u = process.cpuUsage(c)
  return [r, performance.now() - t, (u.user + u.system) / 1000]
}
interface Read {
  how: string
  versions: number
  wall: number
  cpu: number
  saveWall?: number
  saveCpu?: number
}
/** The build's first step in a new process (bench/children/ledger-read.ts), as each CLI build meets it. */
async function fresh(root: string, snapshot = '', save = false): Promise<Read> {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'ledger-read.ts')
  const r = await runCmd(process.execPath, ['--import', 'tsx', child, root, snapshot, ...(save ? ['--save'] : [])])
  if (r.code !== 0) throw new Error(`ledger-read: ${r.stderr}`)
  return JSON.parse(r.stdout) as Read
}
const ms = (wall: number, cpu: number) => `${wall.toFixed(0)} ms (cpu ${cpu.toFixed(0)} ms)`

const A = 'a1a1a1a1a1a1'
const B = 'b2b2b2b2b2b2'
const OWNER = 'ab'.repeat(20)

const stemOf = (i: number) =>
  `${new Date(Date.UTC(2025, 0, 1) + i * 60_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')}-post-${i}`
const hashOf = (i: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(8)

/**
 * Two devices taking turns (each build reads the other's last), `perBuild` versions a build, then both building
 * `tail` times without seeing each other (a laptop offline) — the case that moves cursors.
 */
function history(n: number, perBuild: number, tail: number): { a: LogBuild[]; b: LogBuild[]; shared: number } {
  const a: LogBuild[] = []
  const b: LogBuild[] = []
  let c = Date.parse('2025-01-01T00:00:00Z')
  let i = 0
  const make = (dev: string, list: LogBuild[], other: LogBuild[], cursorAt: number) => {
    const entries = []
    for (let k = 0; k < perBuild && i < n; k++, i++)
      entries.push({ k: 'V' as const, c: cursorAt + k, stem: stemOf(i), hash: hash16(hashOf(i)), auds: [i % 5 ? 'public' : 'friend:bob'] })
    const seen = other.length ? { [other === a ? A : B]: other[other.length - 1].n } : {}
    list.push({ dev, n: list.length + 1, seen, entries })
  }
  const sharedBuilds = Math.ceil((n - 2 * tail * perBuild) / perBuild)
  for (let t = 0; t < sharedBuilds; t++) {
    const [dev, list, other] = t % 2 ? [B, b, a] : [A, a, b]
    make(dev, list, other, (c += 60_000))
  }
  const forkA = a[a.length - 1].n
  const forkB = b[b.length - 1].n
  for (let t = 0; t < tail; t++) {
    a.push({ dev: A, n: a.length + 1, seen: { [B]: forkB }, entries: [] })
    b.push({ dev: B, n: b.length + 1, seen: { [A]: forkA }, entries: [] })
    const cursorA = (c += 60_000)
    for (let k = 0; k < perBuild && i < n; k++, i++)
      a[a.length - 1].entries.push({
        k: 'V',
        c: cursorA + k,
        stem: stemOf(i),
        hash: hash16(hashOf(i)),
        auds: [i % 5 ? 'public' : 'friend:bob'],
      })
    // B's clock is ten minutes slow
    for (let k = 0; k < perBuild && i < n; k++, i++)
      b[b.length - 1].entries.push({
        k: 'V',
        c: cursorA - 600_000 + k,
        stem: stemOf(i),
        hash: hash16(hashOf(i)),
        auds: [i % 5 ? 'public' : 'friend:bob'],
      })
  }
  return { a, b, shared: sharedBuilds }
}

const text = (builds: LogBuild[]) => `${LEDGER_HEADER}\n${builds.map(formatBuild).join('')}`

async function git(cwd: string, ...args: string[]) {
  const r = await runCmd('git', ['-C', cwd, ...args], {
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' },
  })
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
}

export async function run(n = Number(process.env.BENCH_VERSIONS ?? 100_000)) {
  const perBuild = 50
  const tail = 10
  const { a, b, shared } = history(n, perBuild, tail)
  const root = await tmp('peerfeed-bench-devices-')
  const dir = path.join(root, LEDGER_DIR)
  await fs.mkdir(dir)

  // git: the common history, then each device's offline tail on its own branch, then the merge
  const split = (list: LogBuild[]) => list.length - tail
  await git(root, 'init', '-q', '-b', 'a')
  await fs.writeFile(path.join(dir, `${A}.txt`), text(a.slice(0, split(a))))
  await fs.writeFile(path.join(dir, `${B}.txt`), text(b.slice(0, split(b))))
  await git(root, 'add', '-A')
  await git(root, 'commit', '-q', '-m', 'shared history')
  await git(root, 'branch', 'b')
  await fs.writeFile(path.join(dir, `${A}.txt`), text(a))
  await git(root, 'commit', '-q', '-am', 'A offline')
  await git(root, 'checkout', '-q', 'b')
  await fs.writeFile(path.join(dir, `${B}.txt`), text(b))
  await git(root, 'commit', '-q', '-am', 'B offline')
  // B's last offline build left its snapshot of the view (each read below is a process of its own, as a CLI build)
  const snapshot = path.join(root, 'ledger-view.bin')
  const before = await fresh(root, snapshot, true)
  const [, mergeMs, mergeCpu] = await time(() => git(root, 'merge', '-q', '--no-edit', 'a'))

  const bytes = (await fs.stat(path.join(dir, `${A}.txt`))).size + (await fs.stat(path.join(dir, `${B}.txt`))).size
  // the build's first step (build.ts: ledgerView) after the merge: A's offline builds were made without B's, so
  // B's builds move (ledger-cursors.ts); the snapshot is extended by them and B's moved builds are read again
  const merged = await fresh(root, snapshot, true)
  if (merged.how !== 'merged' || merged.versions !== n) throw new Error(`after the merge: ${JSON.stringify(merged)}`)
  // a device's first build (after `device join`, or with .peerfeed/ removed): no snapshot, every line parsed
  const cold = await fresh(root)
  if (cold.how !== 'full' || cold.versions !== n) throw new Error(`cold read: ${JSON.stringify(cold)}`)
  const snapBytes = (await fs.stat(snapshot)).size
  // the next CLI build: from the snapshot, the ledger unchanged
  const fromSnap = await fresh(root, snapshot)
  if (fromSnap.how !== 'unchanged' || fromSnap.versions !== n) throw new Error(`from the snapshot: ${JSON.stringify(fromSnap)}`)
  // … and after `git pull` brought the other device's next build
  const next = (dev: string, other: string, v: LedgerView, from: number): LogBuild => {
    const entries: LogBuild['entries'] = []
    for (let k = 0; k < perBuild; k++)
      entries.push({ k: 'V', c: Date.now() + k, stem: stemOf(from + k), hash: hash16(hashOf(from + k)), auds: ['public'] })
    return { dev, n: v.newest[dev] + 1, seen: { [other]: v.newest[other] }, entries }
  }
  const viewNow = (await ledgerView(root)).view
  const newestAtMerge = { ...viewNow.newest }
  await appendBuild(root, next(B, A, viewNow, n))
  const pulled = await fresh(root, snapshot)
  if (pulled.how !== 'appended' || pulled.versions !== n + perBuild) throw new Error(`after a pull: ${JSON.stringify(pulled)}`)
  // a process that keeps the view (build --watch, serve --watch, the app): nothing changed; one more build
  await ledgerView(root)
  const [same, sameMs, sameCpu] = await time(() => ledgerView(root))
  if (same.how !== 'unchanged') throw new Error(`second read: ${same.how}`)
  await appendBuild(root, next(A, B, same.view, n + perBuild))
  const [grown, grownMs, grownCpu] = await time(() => ledgerView(root))
  if (grown.how !== 'appended' || versionCount(grown.view) !== n + 2 * perBuild) throw new Error(`after an append: ${grown.how}`)
  clearLedgerCache()
  const [, warmMs, warmCpu] = await time(() => ledgerView(root))

  const logged = await readLedger(root)
  const moved = logged.builds.filter((x) => x.entries.length).length
  const again = deriveLedger(logged.builds.filter((x) => !(x.n === newestAtMerge[x.dev] + 1)))
  if (versionCount(again) !== n) throw new Error(`without the two new builds: ${versionCount(again)} versions`)

  // a build's ledger step on it: every post unchanged but one new
  const posts: Post[] = []
  for (let i = 0; i <= n; i++) {
    const stem = stemOf(i)
    posts.push({
      id: `${OWNER}/${stem}`,
      stem,
      file: `feed/${stem}.yaml`,
      hash: hashOf(i),
      author: OWNER,
      data: { type: 'status', published: '2025-01-01T00:00:00Z', ...(i % 5 ? {} : { to: ['bob'] }) },
    })
  }
  const live = new Set(['public', 'friend:bob'])
  const aud = (p: Post) => (p.data.to ? ['friend:bob'] : ['public'])
  const [adv, advanceMs, advanceCpu] = await time(async () => advanceLedger(again, posts, aud, live, OWNER, Date.now()))
  if (adv.entries.length !== 1) throw new Error(`expected one new line, got ${adv.entries.length}`)

  console.log(
    `devices: a ledger of ${n} versions from 2 devices (${shared} builds taking turns, then ${tail} builds each offline, ${perBuild} versions a build; ${moved} builds)`,
  )
  const target = (r: { wall: number; cpu: number }) =>
    `(target < 200 ms: ${r.wall < 200 ? 'met' : 'NOT met'} in wall time, ${r.cpu < 200 ? 'met' : 'NOT met'} in CPU time)`
  const row = (r: { wall: number; cpu: number }) => `${ms(r.wall, r.cpu)}   ${target(r)}`
  console.log(`  git merge of the two devices' histories:                 ${ms(mergeMs, mergeCpu)} (child process: cpu not counted)`)
  console.log("  the build's first step (read the merged ledger, effective cursors, the view), each in a new process:")
  console.log(`    first build after the merge (B's snapshot from before it): ${row(merged)}`)
  console.log(`    a device's first build (no snapshot: every line parsed): ${row(cold)}`)
  console.log(`    from the snapshot, nothing changed:                   ${row(fromSnap)}`)
  console.log(`    from the snapshot, the other device's build pulled:   ${row(pulled)}`)
  console.log(`    (for reference, B's snapshot before the merge, a full read: ${ms(before.wall, before.cpu)})`)
  console.log(`    kept in memory (watch, app), nothing changed:         ${row({ wall: sameMs, cpu: sameCpu })}`)
  console.log(`    kept in memory, one build (${perBuild} versions) appended:   ${row({ wall: grownMs, cpu: grownCpu })}`)
  console.log(`    every line parsed again, the JIT warm:                ${ms(warmMs, warmCpu)}`)
  console.log(
    `  writing the snapshot (end of a build; ${(snapBytes / 1e6).toFixed(1)} MB):          ${ms(merged.saveWall!, merged.saveCpu!)}`,
  )
  console.log(`  advance over ${n + 1} posts (one new):                    ${ms(advanceMs, advanceCpu)}`)
  console.log(
    `  load average while measuring: ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
  )
  console.log(`  ledger on disk: ${bytes} bytes = ${(bytes / n).toFixed(1)} bytes per version`)
  await fs.rm(root, { recursive: true, force: true })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
