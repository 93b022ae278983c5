// Crypto bench: each operation through the PeerFeed facade and through openpgp directly, in one run, with the overhead.
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import * as openpgp from 'openpgp'
import {
  generateIdentity,
  readPublicKey,
  readSecretKey,
  encryptAndSign,
  decryptAndVerify,
  signDetached,
  verifyDetached,
  type PublicKey,
} from '../src/crypto/index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Median ms of each, alternating the two so machine noise hits both alike. */
async function pair(n: number, facade: () => Promise<unknown>, direct: () => Promise<unknown>): Promise<[number, number]> {
  await facade()
  await direct()
  const f: number[] = []
  const d: number[] = []
  for (let i = 0; i < n; i++) {
    let t = performance.now()
    await facade()
    f.push(performance.now() - t)
    t = performance.now()
    await direct()
    d.push(performance.now() - t)
  }
  return [median(f), median(d)]
}

const rows: string[][] = []
function row(what: string, [f, d]: [number, number], unit = 'ms') {
  const fmt = (x: number) => (unit === 'ms' ? x.toFixed(2) : Math.round(x).toString())
  // For rates, overhead is how much slower: direct/facade - 1.
  const over = unit === 'ms' ? f / d - 1 : d / f - 1
  rows.push([what, `${fmt(f)} ${unit}`, `${fmt(d)} ${unit}`, `${over >= 0 ? '+' : ''}${(over * 100).toFixed(1)} %`])
}

export async function run(): Promise<void> {
  rows.length = 0
  console.log('crypto: PeerFeed facade vs openpgp direct (medians; same keys, same data)')
  const userIDs = [{ name: 'Bench', email: 'bench@example.org' }]
  row(
    'key generation',
    await pair(
      60,
      () => generateIdentity({ name: 'Bench', email: 'bench@example.org' }),
      () => openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs, format: 'armored' }),
    ),
  )

  const owner = await generateIdentity({ name: 'Owner' })
  const ownerSecret = await readSecretKey(owner.secretArmored)
  const ownerPriv = await openpgp.readPrivateKey({ armoredKey: owner.secretArmored })
  const friends = await Promise.all(Array.from({ length: 200 }, (_, i) => generateIdentity({ name: `Friend ${i}` })))
  const friendPub: PublicKey[] = await Promise.all(friends.map((f) => readPublicKey(f.publicArmored)))
  const friendRaw = await Promise.all(friends.map((f) => openpgp.readKey({ armoredKey: f.publicArmored })))
  const page = new TextEncoder().encode(
    JSON.stringify({ posts: Array.from({ length: 400 }, (_, i) => ({ id: i, text: 'x'.repeat(230) })) }).slice(0, 100 * 1024),
  )

  for (const n of [1, 20, 200]) {
    row(
      `encrypt+sign 100 KB → ${n}`,
      await pair(
        n === 200 ? 9 : 21,
        () => encryptAndSign({ data: page, to: friendPub.slice(0, n), signer: ownerSecret }),
        async () =>
          openpgp.encrypt({
            message: await openpgp.createMessage({ binary: page }),
            encryptionKeys: friendRaw.slice(0, n),
            signingKeys: ownerPriv,
          }),
      ),
    )
  }

  const reader = await readSecretKey(friends[0].secretArmored)
  const readerRaw = await openpgp.readPrivateKey({ armoredKey: friends[0].secretArmored })
  const ownerPub = ownerSecret.publicKey
  const ownerRaw = ownerPriv.toPublic()
  const msg = await encryptAndSign({ data: page, to: friendPub.slice(0, 20), signer: ownerSecret })
  row(
    'decrypt+verify 100 KB',
    await pair(
      41,
      () => decryptAndVerify({ message: msg, key: reader, signers: [ownerPub] }),
      async () => {
        const r = await openpgp.decrypt({
          message: await openpgp.readMessage({ armoredMessage: msg }),
          decryptionKeys: readerRaw,
          verificationKeys: ownerRaw,
          format: 'binary',
        })
        await r.signatures[0].verified
      },
    ),
  )

  const doc = new Uint8Array(1024).fill(65)
  const sig = await signDetached({ data: doc, signer: ownerSecret })
  const batch = 200
  const [fv, dv] = await pair(
    7,
    async () => {
      for (let i = 0; i < batch; i++) await verifyDetached({ data: doc, signature: sig, signers: [ownerPub] })
    },
    async () => {
      for (let i = 0; i < batch; i++) {
        const r = await openpgp.verify({
          message: await openpgp.createMessage({ binary: doc }),
          signature: await openpgp.readSignature({ armoredSignature: sig }),
          verificationKeys: ownerRaw,
          format: 'binary',
        })
        await r.signatures[0].verified
      }
    },
  )
  row('detached verify 1 KB', [(batch * 1000) / fv, (batch * 1000) / dv], 'verifies/s')

  const head = ['operation', 'facade', 'openpgp', 'overhead']
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const r of [head, ...rows]) console.log(`  ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run()
