// Whole commands as a person runs them: the real `peerfeed` binary (compiled lib/) in fresh processes, on generated
// feeds. Start-up beside a bare `node -e 0`, `timeline` over 30,000 inbox posts, `post` + `build`, and `sync`.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { addPeer } from '../src/identity/index.ts'
import { layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { loadPosts } from '../src/posts/load-posts.ts'
import { follow } from '../src/sync/index.ts'
import { buildFixture } from './build-fixture.ts'
import { generateFeed, tmp } from './util.ts'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(REPO, 'bin/peerfeed.js')
const ENV = {
  ...process.env,
  NODE_OPTIONS: '',
  GIT_AUTHOR_NAME: 'B',
  GIT_AUTHOR_EMAIL: 'b@example.org',
  GIT_COMMITTER_NAME: 'B',
  GIT_COMMITTER_EMAIL: 'b@example.org',
}

interface Run {
  ms: number
  cpuMs: number
  stdout: string
  stderr: string
  code: number
  peakMB: number
}

/** One fresh process, timed from spawn to exit; peak RSS from GNU time when it is there. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

function runOnce(args: string[], cwd = REPO): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', process.execPath, ...args]] : [process.execPath, args]
    const child = spawn(cmd, argv, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - t
      let peakMB = 0
      let cpuMs = 0
      if (GNU_TIME) {
        const lines = stderr.trimEnd().split('\n')
        const [kb, user, sys] = (lines.pop() ?? '').split(' ').map(Number)
        peakMB = Math.round(kb / 1024)
        cpuMs = (user + sys) * 1000
        stderr = lines.join('\n')
      }
      resolve({ ms, cpuMs, stdout, stderr, code: code ?? -1, peakMB })
    })
  })
}

const peerfeed = async (args: string[], root: string) => {
  const r = await runOnce([BIN, ...args, '--root', root])
  if (r.code !== 0) throw new Error(`peerfeed ${args.join(' ')} failed: ${r.stderr || r.stdout}`)
  return r
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x: number) => `${Math.round(x)} ms`
/** wall time, and the CPU time beside it: on a shared machine the second is the steadier figure */
const both = (r: { ms: number; cpuMs: number }) => `${ms(r.ms)} (cpu ${ms(r.cpuMs)})`
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')

/** bare `node -e 0`, the anchor of every figure here (set by startup) */
let bare: { ms: number; cpuMs: number } | undefined
const vsBare = (x: { ms: number; cpuMs: number }) =>
  bare ? ` = ${(x.ms / bare.ms).toFixed(1)}× bare node (cpu ${bare.cpuMs ? (x.cpuMs / bare.cpuMs).toFixed(1) : '?'}×)` : ''

async function startup(rows: string[]) {
  const runs: Record<'bare' | 'version' | 'help', Run[]> = { bare: [], version: [], help: [] }
  // interleaved, so a busy moment on a shared machine hits all three alike
  for (let i = 0; i < 9; i++) {
    runs.bare.push(await runOnce(['-e', '0']))
    runs.version.push(await runOnce([BIN, '--version']))
    runs.help.push(await runOnce([BIN, '--help']))
  }
  const m = (k: keyof typeof runs) => ({ ms: median(runs[k].map((r) => r.ms)), cpuMs: median(runs[k].map((r) => r.cpuMs)) })
  const [b, v, h] = [m('bare'), m('version'), m('help')]
  bare = b
  const ratio = (x: { ms: number; cpuMs: number }) =>
    `${(x.ms / b.ms).toFixed(2)}× bare node (cpu ${b.cpuMs ? (x.cpuMs / b.cpuMs).toFixed(2) : '?'}×)`
  rows.push(`  bare \`node -e 0\` (anchor): ${both(b)}`)
  rows.push(`  peerfeed --version: ${both(v)} = ${ratio(v)}   (target ≤ 2×: ${verdict(v.ms <= 2 * b.ms)})`)
  rows.push(`  peerfeed --help:    ${both(h)} = ${ratio(h)}`)
}

/** An inbox of `n` posts from one friend, as sync stores them. */
async function timeline(rows: string[], n: number) {
  const me = layout(await tmp('peerfeed-bench-cli-me-'))
  const friend = layout(await tmp('peerfeed-bench-cli-friend-'))
  await initFeed(me, { name: 'Me' })
  await initFeed(friend, { name: 'Friend' })
  await addPeer(me, 'alice', friend.selfPublicKey)
  await generateFeed(path.join(me.inbox, 'alice'), n)
  // generateFeed writes under <root>/feed; the inbox keeps the same YYYY/MM folders directly under inbox/NAME/
  await fs.rename(path.join(me.inbox, 'alice', 'feed'), path.join(me.inbox, 'alice-tmp'))
  await fs.rm(path.join(me.inbox, 'alice'), { recursive: true })
  await fs.rename(path.join(me.inbox, 'alice-tmp'), path.join(me.inbox, 'alice'))
  await new Promise((r) => setTimeout(r, 3100)) // past the cache's racy window (src/posts/load-posts.ts)
  const first = await peerfeed(['timeline', '--limit', '30'], me.root)
  if (!first.stdout.includes('alice')) throw new Error(`timeline shows no post of alice: ${first.stdout.slice(0, 200)}`)
  const again: Run[] = []
  for (let i = 0; i < 5; i++) again.push(await peerfeed(['timeline', '--limit', '30'], me.root))
  const t = { ms: median(again.map((r) => r.ms)), cpuMs: median(again.map((r) => r.cpuMs)) }
  rows.push(`  peerfeed timeline, ${n.toLocaleString('en-US')} inbox posts, first run (reads and caches every file): ${both(first)}`)
  rows.push(
    `  peerfeed timeline, ${n.toLocaleString('en-US')} inbox posts, again: ${both(t)}${vsBare(t)}, peak ${again[0].peakMB} MB   (target ≤ 500 ms: wall ${verdict(t.ms <= 500)}, cpu ${verdict(t.cpuMs <= 500)})`,
  )
}

/** The median run of `k` (by wall time), each a fresh process. */
async function medianOf(k: number, fn: () => Promise<Run>): Promise<Run> {
  const runs: Run[] = []
  for (let i = 0; i < k; i++) runs.push(await fn())
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor(k / 2)]
}

/**
 * `peerfeed build` as a user runs it, on the feed of bench/build.ts (10,000 posts, 50 friends, 10 groups): every
 * build target of the speed issue, wall and CPU time, beside Eleventy alone on the same public posts (the anchor,
 * itself a fresh plain-JavaScript process).
 */
async function postAndBuild(rows: string[], n: number, friends = 50, groups = 10) {
  const { l, files, names, groupNames } = await buildFixture(n, friends, groups, 'peerfeed-bench-cli-build-')
  await new Promise((r) => setTimeout(r, 3100)) // past the cache's racy window (src/posts/load-posts.ts)
  const full = await peerfeed(['build'], l.root)
  const { posts } = await loadPosts(l, { fingerprint: 'x', cacheFile: false })
  const postsFile = path.join(l.state, 'bench-public-posts.json')
  await fs.writeFile(postsFile, JSON.stringify(posts.filter((p) => !p.data.to).map((p) => ({ stem: p.stem, data: p.data }))))
  const alone = await runOnce([path.join(REPO, 'bench/children/eleventy-alone.js'), postsFile, await tmp('peerfeed-bench-eleventy-')])
  if (alone.code !== 0) throw new Error(`Eleventy alone failed: ${alone.stderr}`)
  const same = await medianOf(3, () => peerfeed(['build'], l.root))
  await peerfeed(['post', '--text', 'The first post after a full build.'], l.root)
  const first = await peerfeed(['build'], l.root)
  const more = await medianOf(3, async () => {
    await peerfeed(['post', '--text', 'One more post.'], l.root)
    return peerfeed(['build'], l.root)
  })
  await peerfeed(['post', '--text', 'One more post, to a group.', '--to', groupNames[0]], l.root)
  const group = await peerfeed(['build'], l.root)
  const victim = files[Math.floor(n / 2)]
  await fs.writeFile(victim, (await fs.readFile(victim, 'utf8')).replace('text: ', 'text: edited — '))
  const edit = await peerfeed(['build'], l.root)
  await peerfeed(['group', 'remove', groupNames[1], names[1]], l.root)
  const member = await peerfeed(['build'], l.root)
  const sameAgain = await medianOf(3, () => peerfeed(['build'], l.root))

  const anchor = (r: Run) => `${(r.ms / alone.ms).toFixed(2)}× Eleventy alone (cpu ${(r.cpuMs / alone.cpuMs).toFixed(2)}×)`
  const target = (text: string, ok: (x: number) => boolean, r: Run) =>
    `(target ${text}: ${verdict(ok(r.ms))}; by cpu ${verdict(ok(r.cpuMs))})`
  const msTarget = (limit: number) => (r: Run) => target(`≤ ${limit} ms`, (x) => x <= limit, r)
  const small = (r: Run) =>
    `= ${((r.ms / full.ms) * 100).toFixed(1)} % of full (cpu ${((r.cpuMs / full.cpuMs) * 100).toFixed(1)} %)   ` +
    `(target ≤ 1000 ms and ≤ 5 %: ${verdict(r.ms <= 1000 && r.ms <= 0.05 * full.ms)}; by cpu ${verdict(r.cpuMs <= 1000 && r.cpuMs <= 0.05 * full.cpuMs)})`
  rows.push(`  build: ${n.toLocaleString('en-US')} posts, ${friends} friends, ${groups} groups; each build a fresh \`peerfeed build\``)
  rows.push(
    `  Eleventy alone, the same ${posts.filter((p) => !p.data.to).length} public posts (anchor): ${both(alone)}, peak ${alone.peakMB} MB`,
  )
  rows.push(
    `  full build: ${both(full)} = ${anchor(full)}   (target ≤ 2×: ${verdict(full.ms <= 2 * alone.ms)}; by cpu ${verdict(full.cpuMs <= 2 * alone.cpuMs)})`,
  )
  rows.push(`  full build peak RSS: ${full.peakMB} MB   (target ≤ 300 MB: ${verdict(full.peakMB <= 300)})`)
  rows.push(`  nothing changed (after the full build): ${both(same)} = ${anchor(same)}   ${msTarget(300)(same)}`)
  rows.push(`  nothing changed (after incremental builds): ${both(sameAgain)} = ${anchor(sameAgain)}   ${msTarget(300)(sameAgain)}`)
  rows.push(`  first build after the full one, one public post added: ${both(first)} ${small(first)}`)
  rows.push(`  build after one more public post (median of 3): ${both(more)} ${small(more)}`)
  rows.push(`  build after one post to a group: ${both(group)} ${small(group)}`)
  rows.push(`  build after editing one post (middle of history): ${both(edit)} = ${anchor(edit)}   ${msTarget(1500)(edit)}`)
  rows.push(`  build after removing a member from ${groupNames[1]}: ${both(member)} = ${anchor(member)}   ${msTarget(1500)(member)}`)
  rows.push(`  peak RSS of the incremental builds: ${Math.max(first.peakMB, more.peakMB, group.peakMB, edit.peakMB, member.peakMB)} MB`)
  await fs.rm(l.root, { recursive: true, force: true })
  // The floor of a build after one new post: the same friends and groups, 10 posts. What it costs (start-up, modules,
  // keys, the quick check, signing a page, the git commit) no build of a bigger feed can go below.
  const tiny = await buildFixture(10, friends, groups, 'peerfeed-bench-cli-tiny-')
  await peerfeed(['build'], tiny.l.root)
  const floor = await medianOf(3, async () => {
    await peerfeed(['post', '--text', 'One more post.'], tiny.l.root)
    return peerfeed(['build'], tiny.l.root)
  })
  rows.push(
    `  the same build after one new post on a feed of 10 posts (the floor of any build): ${both(floor)} = ${((floor.ms / full.ms) * 100).toFixed(1)} % of the full build above (cpu ${((floor.cpuMs / full.cpuMs) * 100).toFixed(1)} %)`,
  )
  await fs.rm(tiny.l.root, { recursive: true, force: true })
}

async function sync(rows: string[], n: number) {
  const alice = layout(await tmp('peerfeed-bench-cli-alice-'))
  const bob = layout(await tmp('peerfeed-bench-cli-bob-'))
  await initFeed(alice, { name: 'Alice' })
  await initFeed(bob, { name: 'Bob' })
  await addPeer(alice, 'bob', bob.selfPublicKey)
  await addPeer(bob, 'alice', alice.selfPublicKey)
  await generateFeed(alice.root, n, { to: (i) => (i % 10 === 0 ? undefined : ['bob']) })
  await peerfeed(['build'], alice.root)
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--root', alice.root], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      serve.stdout.on('data', (d) => {
        out += d
        const m = /API at (http:\/\/\S+?)\/? /.exec(out)
        if (m) resolve(m[1])
      })
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    await follow(bob, 'alice', url)
    const first = await peerfeed(['sync', '--no-lan', '--no-dht'], bob.root)
    if (!first.stdout.includes(`${n} new`)) throw new Error(`first sync did not store ${n} posts: ${first.stdout}`)
    const again = await peerfeed(['sync', '--no-lan', '--no-dht'], bob.root)
    rows.push(
      `  peerfeed sync, first time, ${n.toLocaleString('en-US')} posts (9 in 10 private): ${both(first)}${vsBare(first)}   (target ≤ 3000 ms: wall ${verdict(first.ms <= 3000)}, cpu ${verdict(first.cpuMs <= 3000)}; the server's own cpu not counted)`,
    )
    rows.push(`  peerfeed sync, up to date: ${both(again)}`)
  } finally {
    serve.kill('SIGINT')
    await new Promise((r) => (serve.exitCode !== null ? r(null) : serve.once('exit', r)))
  }
}

export async function run(
  n = Number(process.env.BENCH_POSTS ?? 10_000),
  inbox = Number(process.env.BENCH_INBOX_POSTS ?? 30_000),
  only = process.env.BENCH_CLI_ONLY?.split(','),
) {
  execFileSync(process.execPath, [path.join(REPO, 'scripts/compile.js')], { stdio: 'inherit' })
  console.log(`cli: the real binary (lib/), each command a fresh process`)
  const rows: string[] = []
  const part = async (name: string, fn: () => Promise<void>) => {
    if (only && !only.includes(name)) return
    try {
      await fn()
    } catch (e) {
      rows.push(`  ${name}: FAILED — ${(e as Error).message.split('\n')[0]}`)
    }
    console.log(rows.splice(0).join('\n'))
  }
  await part('start-up', () => startup(rows))
  await part('timeline', () => timeline(rows, inbox))
  await part('post + build', () => postAndBuild(rows, n))
  await part('sync', () => sync(rows, n))
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
