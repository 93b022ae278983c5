// Where one POST /api/v1/updates spends its time, stage by stage, in this process (no HTTP, no worker hop):
// the pre-check on packet headers, the key lists, reading the message, the key agreement, decrypting and verifying,
// parsing the plaintext, the nonce write, choosing pages and writing the answer. Medians over many distinct requests.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildFeed } from '../src/build/build.ts'
import { encryptAndSign, readPublicKey, readSecretKey, recipientKeyIds } from '../src/crypto/index.ts'
import { addPeer } from '../src/identity/index.ts'
import { layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { writePost } from '../src/posts/write-post.ts'
import { inThreadDecryptor } from '../src/server/decryptor.ts'
import { identityCache } from '../src/server/identity-cache.ts'
import { ownKeysCache } from '../src/server/own-keys.ts'
import { replayCache } from '../src/server/replay-cache.ts'
import { selectPages } from '../src/server/select-pages.ts'
import { loadSnapshot } from '../src/server/snapshot.ts'
import { tmp } from './util.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]

export async function run(n = Number(process.env.BENCH_STAGE_REQUESTS ?? 400)) {
  const alice = layout(await tmp('peerfeed-bench-alice-'))
  const bob = layout(await tmp('peerfeed-bench-bob-'))
  await initFeed(alice, { name: 'Alice', email: 'alice@example.org' })
  await initFeed(bob, { name: 'Bob', email: 'bob@example.org' })
  await addPeer(alice, 'bob', bob.selfPublicKey)
  await addPeer(bob, 'alice', alice.selfPublicKey)
  await writePost(alice, { data: { type: 'status', text: 'for bob', to: ['bob'] } })
  await buildFeed(alice)
  const to = await readPublicKey(await fs.readFile(alice.selfPublicKey, 'utf8'))
  const signer = await readSecretKey(await fs.readFile(bob.selfSecretKey, 'utf8'))
  const bodies: string[] = []
  for (let i = 0; i < n; i++) {
    const data = JSON.stringify({
      since: null,
      limit: 500,
      nonce: crypto.randomBytes(16).toString('hex'),
      sentAt: new Date().toISOString(),
      server: to.fingerprint,
    })
    bodies.push(await encryptAndSign({ data, to: [to], signer }))
  }
  const known = identityCache(alice)
  const replay = replayCache({ file: path.join(alice.state, 'server', 'nonces.log') })
  const snap = await loadSnapshot(alice)
  const own = ownKeysCache(alice)
  const open = inThreadDecryptor(() => own.get())
  const stages: Record<string, number[]> = { precheck: [], 'key lists': [], 'decrypt+verify+parse': [], 'nonce write': [], answer: [] }
  const lap = (name: string, t: number) => {
    const now = performance.now()
    stages[name].push((now - t) * 1000)
    return now
  }
  // warm up openpgp's lazy modules first
  for (const body of bodies.slice(0, 20)) await open.open(body, (await known.get()).keys, Date.now())
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (const body of bodies.slice(20)) {
    let t = performance.now()
    recipientKeyIds(body)
    t = lap('precheck', t)
    const k = await known.get()
    t = lap('key lists', t)
    const o = await open.open(body, k.keys, Date.now())
    t = lap('decrypt+verify+parse', t)
    replay.check(o.signer, o.request!.nonce, Date.now())
    t = lap('nonce write', t)
    const { pages, next } = selectPages(snap.audiencesOf.get(o.signer) ?? [], o.request!.since, 500)
    const texts = await Promise.all(pages.map((p) => snap.pageJson(p.name)))
    void `{"pages":[${texts.join(',')}],"next":${next === null ? 'null' : JSON.stringify(next)}}`
    lap('answer', t)
  }
  const wall = performance.now() - t0
  const c = process.cpuUsage(cpu0)
  const m = n - 20
  console.log(`updates stages: ${m} distinct requests from one friend, opened in this thread, no HTTP (µs, median / p99)`)
  for (const [name, xs] of Object.entries(stages)) console.log(`  ${name.padEnd(22)} ${fmtUs(median(xs))} / ${fmtUs(p99(xs))}`)
  console.log(
    `  whole: ${((wall / m) * 1000).toFixed(0)} µs wall, ${(((c.user + c.system) / m) as number).toFixed(0)} µs CPU a request (${m} requests)`,
  )
  await open.close()
  for (const l of [alice, bob]) await fs.rm(l.root, { recursive: true, force: true })
}

const fmtUs = (us: number) => `${Math.round(us)}`.padStart(6)

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
