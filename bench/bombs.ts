// Benchmark of hostile input: a 4 GB bzip2 request against a real `serve` process (with decrypt workers and
// without) and a 4 GB bzip2 page against a real `sync` process — time to refuse, a friend's latency meanwhile,
// and each process's peak memory (VmHWM from /proc).
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import { buildFeed } from '../src/build/build.ts'
import { encryptAndSign, readPublicKey, readSecretKey } from '../src/crypto/index.ts'
import { writePost } from '../src/posts/write-post.ts'
import { follow } from '../src/sync/index.ts'
import { bzip2Bomb } from '../test/helpers/bombs.ts'
import { guardedCli } from '../test/helpers/guarded-run.ts'
import { relay } from '../test/helpers/relay.ts'
import { serveChild } from '../test/helpers/serve-child.ts'
import { feedPair } from './friend-requests.ts'
import { time } from './util.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const post = (url: string, body: string) =>
  fetch(new URL('api/v1/updates', url), { method: 'POST', headers: { 'content-type': 'application/pgp-encrypted' }, body }).then(
    async (r) => {
      await r.arrayBuffer()
      return r.status
    },
  )

export async function run() {
  const { alice, bob } = await feedPair()
  await writePost(alice, { data: { type: 'status', text: 'for bob', to: ['bob'] } })
  await buildFeed(alice)
  const alicePub = await readPublicKey(await fs.readFile(alice.selfPublicKey, 'utf8'))
  const bobSecret = await readSecretKey(await fs.readFile(bob.selfSecretKey, 'utf8'))
  const request = async () =>
    encryptAndSign({
      data: JSON.stringify({
        since: null,
        limit: 500,
        nonce: crypto.randomBytes(16).toString('hex'),
        sentAt: new Date().toISOString(),
        server: alicePub.fingerprint,
      }),
      to: [alicePub],
      signer: bobSecret,
    })
  const bomb = await bzip2Bomb(alicePub.armored, { gigabytes: 4 })
  console.log(`bombs: a bzip2 request of ${bomb.length} armored bytes that inflates to ~4 GB`)

  for (const workers of ['2', '0']) {
    const s = await serveChild(alice.root, ['--decrypt-workers', workers])
    try {
      const idle = s.memory().rssMb
      const refuse: number[] = []
      for (let i = 0; i < 7; i++) refuse.push((await time(() => post(s.url, bomb)))[1])
      const friendAlone: number[] = []
      for (let i = 0; i < 7; i++) {
        const body = await request()
        friendAlone.push((await time(() => post(s.url, body)))[1])
      }
      // 16 bombs at once and a friend's request in the middle of them
      const bodies = await Promise.all(Array.from({ length: 5 }, request))
      const friendUnder: number[] = []
      for (const body of bodies) {
        const flood = Promise.all(Array.from({ length: 16 }, () => post(s.url, bomb)))
        friendUnder.push((await time(() => post(s.url, body)))[1])
        await flood
      }
      const m = s.memory()
      console.log(
        `  serve --decrypt-workers ${workers}: a 4 GB bomb refused in ${median(refuse).toFixed(1)} ms (median of 7); a friend answered in ${median(friendAlone).toFixed(1)} ms alone, ${median(friendUnder).toFixed(1)} ms amid 16 bombs; server RSS ${idle} MB idle, peak ${m.peakMb} MB`,
      )
    } finally {
      await s.stop()
    }
  }

  const pageBomb = await bzip2Bomb((await readPublicKey(await fs.readFile(bob.selfPublicKey, 'utf8'))).armored, { gigabytes: 4 })
  const honest = await serveChild(alice.root, ['--decrypt-workers', '0'])
  const r = await relay(honest.url, async (req, forward) =>
    req.path.startsWith('/api/v1/updates') ? { status: 200, body: JSON.stringify({ pages: [pageBomb], next: '1' }) } : forward(),
  )
  try {
    await follow(bob, 'alice', r.url)
    const [out, ms] = await time(() => guardedCli(['sync', '--root', bob.root, '--no-lan', '--no-dht'], { maxMb: 1024 }))
    console.log(
      `  sync given a 4 GB bzip2 page: ${/refused: [^)]*/.exec(out.stdout)?.[0] ?? out.stdout.trim()} — whole sync ${Math.round(ms)} ms, peak RSS ${out.peakMb} MB`,
    )
  } finally {
    await r.close()
    await honest.stop()
    await fs.rm(alice.root, { recursive: true, force: true })
    await fs.rm(bob.root, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
