// Benchmark: what `key rotate` costs a running server — an update request encrypted to the current key before the
// rotation, then (same server, no restart) to the old key (one failed key agreement first, plus the hand-over in
// the answer) and to the new key; the first request after the rotation (the keys reloaded); the per-request check
// that the keys have not changed.
import fs from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { buildFeed } from '../src/build/build.ts'
import { encryptAndSign, readPublicKey, readSecretKey, type PublicKey, type SecretKey } from '../src/crypto/index.ts'
import { addPeer } from '../src/identity/index.ts'
import { rotateSelf } from '../src/identity/key-life.ts'
import { layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { writePost } from '../src/posts/write-post.ts'
import { startServer } from '../src/server/index.ts'
import { ownKeysCache } from '../src/server/own-keys.ts'
import { tmp } from './util.ts'

const POSTS = 200
const REQUESTS = 60

/** Wall and CPU milliseconds of each call (CPU of this process: client and server share it). */
async function each(n: number, fn: (i: number) => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = []
  const cpus: number[] = []
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    await fn(i)
    const u = process.cpuUsage(c)
    walls.push(performance.now() - t)
    cpus.push((u.user + u.system) / 1000)
  }
  const median = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]
  return { wall: median(walls), cpu: median(cpus) }
}
const fmt = ({ wall, cpu }: { wall: number; cpu: number }) => `${wall.toFixed(2)} ms (cpu ${cpu.toFixed(2)} ms)`

export async function run() {
  const ada = layout(await tmp('peerfeed-bench-rot-ada-'))
  const bob = layout(await tmp('peerfeed-bench-rot-bob-'))
  try {
    await initFeed(ada, { name: 'Ada' })
    await initFeed(bob, { name: 'Bob' })
    await addPeer(ada, 'bob', bob.selfPublicKey)
    for (let i = 0; i < POSTS; i++)
      await writePost(ada, { data: { type: 'status', text: `post ${i}`, to: ['bob'] } as never }, new Date(Date.UTC(2026, 0, 1, 0, i)))
    await buildFeed(ada)
    const many = { rate: 1e6, burst: 1e6 }
    const server = await startServer({ layout: ada, port: 0, limits: { perIp: many, perKey: many, decryptWorkers: 0 } })
    const me = await readSecretKey(await fs.readFile(bob.selfSecretKey, 'utf8'))
    const oldKey = await readPublicKey(await fs.readFile(ada.selfPublicKey, 'utf8'))
    // bodies made beforehand: encrypting is the client's cost, not the server's
    const bodies = (to: PublicKey, n: number, signer: SecretKey) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          encryptAndSign({
            data: JSON.stringify({
              since: null,
              limit: 500,
              nonce: `${i.toString(16).padStart(8, '0')}${Math.random().toString(16).slice(2, 18).padEnd(16, '0')}`,
              sentAt: new Date().toISOString(),
              server: to.fingerprint,
            }),
            to: [to],
            signer,
          }),
        ),
      )
    let rotationBytes = 0
    const ask = async (body: string) => {
      const r = await fetch(new URL('api/v1/updates', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/pgp-encrypted' },
        body,
      })
      const text = await r.text()
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${text.slice(0, 200)}`)
      const k = (JSON.parse(text) as { key_rotation?: unknown[] }).key_rotation
      rotationBytes = k ? JSON.stringify(k).length : 0
    }
    const warm = await bodies(oldKey, 20, me)
    await each(20, (i) => ask(warm[i])) // JIT and caches warm before anything is timed
    const before = await bodies(oldKey, REQUESTS, me)
    const b = await each(REQUESTS, (i) => ask(before[i]))

    await rotateSelf(ada)
    await buildFeed(ada)
    const newKey = await readPublicKey(await fs.readFile(ada.selfPublicKey, 'utf8'))
    const toOld = await bodies(oldKey, REQUESTS + 1, me)
    const toNew = await bodies(newKey, REQUESTS, me)
    const first = await each(1, () => ask(toOld[REQUESTS]))
    const o = await each(REQUESTS, (i) => ask(toOld[i]))
    const handover = rotationBytes
    const n = await each(REQUESTS, (i) => ask(toNew[i]))
    await server.close()

    const cache = ownKeysCache(ada)
    await cache.get()
    const CHECKS = 10_000
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    for (let i = 0; i < CHECKS; i++) await cache.get()
    const wall = ((performance.now() - t0) / CHECKS) * 1000
    const cu = process.cpuUsage(c0)

    console.log(`rotation: a running server, ${POSTS} posts for one friend (one page), median of ${REQUESTS} requests each`)
    console.log(`  before key rotate, to the key:          ${fmt(b)}`)
    console.log(`  first request after rotate + build:     ${fmt(first)} (the keys reloaded)`)
    console.log(`  after, to the old key (+ hand-over):    ${fmt(o)}, key_rotation ${handover} bytes`)
    console.log(`  after, to the new key:                  ${fmt(n)}`)
    console.log(
      `  keys-unchanged check per request:       ${wall.toFixed(1)} µs (cpu ${(((cu.user + cu.system) / CHECKS) * 1).toFixed(1)} µs; 4 stats)`,
    )
  } finally {
    await fs.rm(ada.root, { recursive: true, force: true })
    await fs.rm(bob.root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
