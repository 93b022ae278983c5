// Benchmark of `peerfeed app` on a big feed: 10,000 of my posts and 20,000 friends' posts in inbox/ (10 friends).
// The app runs as its own process (`peerfeed app --no-open`), so its memory is its own. Measures start-up, time to
// first byte of the home timeline and of search, memory, and Post → on the public site and in friends' pages.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildFeed } from '../src/build/build.ts'
import { generateIdentity } from '../src/crypto/index.ts'
import { addToGroup } from '../src/identity/index.ts'
import { layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { generateFeed, time, tmp } from './util.ts'

const BIN = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../bin/peerfeed.js')
const WORDS = 'snow garden river morning coffee friends market bike train book music rain sun walk city forest'.split(' ')

const TARGETS = { ttfb: 200, search: 200, memory: 250, publish: 1500 }

export async function run(
  mine = Number(process.env.BENCH_POSTS ?? 10_000),
  theirs = Number(process.env.BENCH_INBOX ?? 20_000),
  friends = 10,
) {
  const root = await tmp('peerfeed-bench-app-')
  const l = layout(root)
  const { fingerprint } = await initFeed(l, { name: 'Bench' })
  const names = Array.from({ length: friends }, (_, i) => `friend${i}`)
  const fprs: string[] = []
  for (const name of names) {
    const id = await generateIdentity({ name })
    fprs.push(id.fingerprint)
    await fs.writeFile(path.join(l.keys, `${name}.asc`), id.publicArmored)
  }
  await addToGroup(l, 'family', names.slice(0, 4))
  await generateFeed(root, mine, { to: (i) => (i % 5 === 0 ? ['family'] : undefined) })
  await writeInbox(root, names, theirs, fingerprint, mine)
  const [, fullMs] = await time(() => buildFeed(l))

  const t0 = performance.now()
  const child = spawn(process.execPath, [BIN, 'app', '--root', root, '--no-open', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PEERFEED_PASSPHRASE: '' },
  })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const loginUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /PeerFeed app: (\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`the app exited (${code}): ${err}`)))
  })
  const startMs = performance.now() - t0
  const base = new URL(loginUrl).origin
  const cookie = String((await get(loginUrl)).headers['set-cookie']).split(';')[0]
  const headers = { cookie }
  const rows: [string, string][] = []
  const verdict = (ms: number, target: number) => (ms <= target ? `target ≤ ${target}: met` : `target ≤ ${target}: MISSED`)
  try {
    rows.push([
      `start-up (index ${(mine + theirs).toLocaleString('en')} posts, watchers, until the link is printed)`,
      `${Math.round(startMs)} ms`,
    ])
    const cold = await get(`${base}/api/timeline`, headers)
    rows.push([
      'home timeline, first request: time to first byte',
      `${cold.ttfb.toFixed(1)} ms (${cold.body.length} bytes, 20 entries with threads)`,
    ])
    const warm = await median(20, async () => (await get(`${base}/api/timeline`, headers)).ttfb)
    rows.push([
      'home timeline, median of 20: time to first byte',
      `${warm.toFixed(1)} ms — ${verdict(Math.max(warm, cold.ttfb), TARGETS.ttfb)}`,
    ])
    const page = await median(10, async () => (await get(`${base}/`, headers)).ttfb)
    rows.push(['home page shell: time to first byte', `${page.toFixed(1)} ms`])
    const next = JSON.parse(cold.body).next as string
    const deep = await median(10, async () => (await get(`${base}/api/timeline?before=${encodeURIComponent(next)}`, headers)).ttfb)
    rows.push(['home timeline, second page', `${deep.toFixed(1)} ms`])
    let worst = 0
    for (const q of ['garden river coffee', '#snow', 'from:friend3 bike', 'nothing-matches-this']) {
      const first = await get(`${base}/api/search?q=${encodeURIComponent(q)}`, headers)
      const ms = await median(10, async () => (await get(`${base}/api/search?q=${encodeURIComponent(q)}`, headers)).ttfb)
      worst = Math.max(worst, ms, first.ttfb)
      rows.push([
        `search "${q}" (first / median of 10)`,
        `${first.ttfb.toFixed(1)} / ${ms.toFixed(1)} ms, ${JSON.parse(first.body).entries.length} shown`,
      ])
    }
    rows.push(['search, worst of the above', `${worst.toFixed(1)} ms — ${verdict(worst, TARGETS.search)}`])

    const reading = await memory(child.pid!)
    rows.push([
      'app process memory while reading (peak RSS before any build)',
      `${reading.peak} MB — ${verdict(reading.peak, TARGETS.memory)}`,
    ])
    const events = await sse(`${base}/api/events`, headers)
    for (const [label, to] of [
      ['public post', []],
      ['post to a group of 4 friends', ['family']],
      ['post to one friend', ['friend7']],
    ] as const) {
      const since = events.builds.length
      const t1 = performance.now()
      const res = await get(
        `${base}/api/posts`,
        { ...headers, origin: base, 'content-type': 'application/json' },
        'POST',
        JSON.stringify({ type: 'status', text: `bench ${label}`, to }),
      )
      const posted = performance.now() - t1
      const stem = JSON.parse(res.body).entry?.stem as string
      if (!stem) throw new Error(`posting failed: ${res.status} ${res.body}`)
      const built = await events.waitBuild(since)
      const publishedMs = performance.now() - t1
      if (!to.length) await fs.access(path.join(l.dist, 'posts', stem, 'index.html'))
      rows.push([
        `Post → built (${label})`,
        `${Math.round(publishedMs)} ms (written+committed ${Math.round(posted)} ms, build ${built.ms} ms) — ${verdict(publishedMs, TARGETS.publish)}`,
      ])
    }
    events.close()
    const mem = await memory(child.pid!)
    rows.push([
      'app process memory after three builds in it (peak RSS / now)',
      `${mem.peak} / ${mem.now} MB — ${verdict(mem.peak, TARGETS.memory)}`,
    ])
    rows.push(['(for scale) a full build of this feed', `${(fullMs / 1000).toFixed(1)} s`])
  } finally {
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r))
  }
  console.log(`app: ${mine} of my posts (20 % to a group), ${theirs} friends' posts in inbox/ from ${friends} friends`)
  for (const [k, v] of rows) console.log(`  ${k.padEnd(66)} ${v}`)
  await fs.rm(root, { recursive: true, force: true })
}

/** Friends' posts as sync stores them: inbox/<name>/YYYY/MM/<stem>.yaml; every 10th a reply, every 7th a like. */
async function writeInbox(root: string, names: string[], n: number, me: string, mine: number) {
  const start = Date.parse('2025-01-01T00:00:30Z')
  const dirs = new Set<string>()
  for (let i = 0; i < n; i++) {
    const name = names[i % names.length]
    const d = new Date(start + i * 30_000)
    const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z')
    const dir = path.join(root, 'inbox', name, String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'))
    if (!dirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true })
      dirs.add(dir)
    }
    const stem = `${iso.replace(/:/g, '-')}-f${i}`
    const words = Array.from({ length: 10 + (i % 25) }, (_, k) => WORDS[(i * 5 + k * 3) % WORDS.length]).join(' ')
    // replies and likes point at one of my posts (generateFeed: one a minute from 2025-01-01T00:00:00Z)
    const k = (i * 13) % mine
    const target = `${me}/${new Date(Date.parse('2025-01-01T00:00:00Z') + k * 60_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/:/g, '-')}-post-${k}`
    const body =
      i % 7 === 0
        ? `type: like\npublished: ${iso}\nobject: ${target}\n`
        : i % 10 === 0
          ? `type: comment\npublished: ${iso}\ninReplyTo: ${target}\ntext: Reply ${i} — ${words}.\n`
          : `type: status\npublished: ${iso}\ntags: [${WORDS[i % WORDS.length]}]\ntext: Friend post ${i} — ${words}.\n`
    await fs.writeFile(path.join(dir, `${stem}.yaml`), body)
  }
}

interface Got {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  ttfb: number
}
function get(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const req = http.request(
      url,
      { method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        const ttfb = performance.now() - t
        const chunks: Buffer[] = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), ttfb }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function median(n: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < n; i++) xs.push(await fn())
  xs.sort((a, b) => a - b)
  return xs[Math.floor(n / 2)]
}

/** The app's event stream: collects 'build' events. */
async function sse(url: string, headers: Record<string, string>) {
  const builds: { ms: number; changed: boolean }[] = []
  const waiters: (() => void)[] = []
  const req = http.get(url, { headers }, (res) => {
    let buf = ''
    res.on('data', (c) => {
      buf += c
      let i: number
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const msg = buf.slice(0, i)
        buf = buf.slice(i + 2)
        const ev = /^event: (.*)$/m.exec(msg)?.[1]
        const data = /^data: (.*)$/m.exec(msg)?.[1]
        if (ev === 'build' && data) {
          builds.push(JSON.parse(data))
          for (const w of waiters.splice(0)) w()
        }
      }
    })
  })
  req.on('error', () => {})
  await new Promise((r) => setTimeout(r, 100))
  return {
    builds,
    async waitBuild(since: number) {
      // the first build after `since` that changed something (a build may already have been running)
      for (;;) {
        const b = builds.slice(since).find((x) => x.changed)
        if (b) return b
        await new Promise<void>((r) => waiters.push(r))
      }
    },
    close: () => req.destroy(),
  }
}

async function memory(pid: number) {
  const s = await fs.readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0)
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
