// Where one POST /api/v1/updates spends its time, stage by stage, in this process (no HTTP, no worker hop):
// the pre-check on packet headers, the key lists, reading the message, the key agreement, decrypting and verifying,
// parsing the plaintext, the nonce write, choosing pages and writing the answer; then openpgp.js's part call by call.
// Medians over many distinct requests. No stage encrypts or signs: the answer is pages the build already encrypted.
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as openpgp from 'openpgp'
import { dearmorMessage, recipientKeyIds } from '../src/crypto/index.ts'
import { inThreadDecryptor } from '../src/server/decryptor.ts'
import { identityCache } from '../src/server/identity-cache.ts'
import { ownKeysCache } from '../src/server/own-keys.ts'
import { replayCache } from '../src/server/replay-cache.ts'
import { selectPages } from '../src/server/select-pages.ts'
import { loadSnapshot } from '../src/server/snapshot.ts'
import { pairWithRequests } from './friend-requests.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]

export async function run(n = Number(process.env.BENCH_STAGE_REQUESTS ?? 400)) {
  const { alice, bob, bodies } = await pairWithRequests(n, null)
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
  // Inside "decrypt+verify+parse": the openpgp.js calls one at a time on the same messages.
  const inner = await openpgp.readPrivateKey({ armoredKey: await fs.readFile(alice.selfSecretKey, 'utf8') })
  const bobKey = await openpgp.readKey({ armoredKey: await fs.readFile(bob.selfPublicKey, 'utf8') })
  const parts: Record<string, number[]> = {
    'read packets': [],
    'key agreement': [],
    'decrypt (session key)': [],
    'verify signature': [],
  }
  for (const body of bodies.slice(20)) {
    let t = performance.now()
    const binaryMessage = dearmorMessage(body)
    const msg = await openpgp.readMessage({ binaryMessage })
    t = lapIn(parts, 'read packets', t)
    const sessionKeys = (await openpgp.decryptSessionKeys({ message: msg, decryptionKeys: inner })) as openpgp.SessionKey[]
    t = lapIn(parts, 'key agreement', t)
    const plain = await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage }), sessionKeys, format: 'binary' })
    const t1 = performance.now()
    const withSig = await openpgp.decrypt({
      message: await openpgp.readMessage({ binaryMessage }),
      sessionKeys,
      verificationKeys: bobKey,
      format: 'binary',
    })
    await withSig.signatures[0].verified
    // verifying = decrypting with the signature checked, less decrypting alone
    parts['verify signature'].push((performance.now() - t1 - (t1 - t)) * 1000)
    parts['decrypt (session key)'].push((t1 - t) * 1000)
    void plain
  }
  console.log('  inside decrypt+verify, openpgp.js call by call:')
  for (const [name, xs] of Object.entries(parts)) console.log(`    ${name.padEnd(20)} ${fmtUs(median(xs))} / ${fmtUs(p99(xs))}`)
  await open.close()
  for (const l of [alice, bob]) await fs.rm(l.root, { recursive: true, force: true })
}

function lapIn(into: Record<string, number[]>, name: string, t: number): number {
  const now = performance.now()
  into[name].push((now - t) * 1000)
  return now
}

const fmtUs = (us: number) => `${Math.round(us)}`.padStart(6)

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
