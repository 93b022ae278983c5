// Name boxes (docs/page-names.md): what p/boxes.json costs the owner's build, and a friend the one time it looks
// for its box by trying each one. `npm run bench -- name-boxes`.
import * as openpgp from 'openpgp'
import { generateIdentity, readPublicKey, readSecretKey, type PublicKey, type SecretKey } from '../src/crypto/index.ts'
import { writeNameBoxes } from '../src/build/name-boxes.ts'
import { ownerNameKey } from '../src/build/page-names.ts'
import type { Output } from '../src/build/output.ts'
import { openOwnBox } from '../src/sync/private-static.ts'
import type { Session } from '../src/sync/session.ts'
import { time } from './util.ts'

async function ecc(name: string): Promise<SecretKey> {
  return readSecretKey((await generateIdentity({ name })).secretArmored)
}

async function rsa(name: string): Promise<SecretKey> {
  const { privateKey } = await openpgp.generateKey({ type: 'rsa', rsaBits: 3072, userIDs: [{ name }], format: 'armored' })
  return readSecretKey(privateKey)
}

/** An Output that keeps the one file in memory. */
function memoryOut(): Output & { text: string } {
  const o = {
    text: '',
    async read() {
      return o.text || undefined
    },
    async write(_: string, d: string) {
      o.text = d
    },
  }
  return o as unknown as Output & { text: string }
}

export async function run(): Promise<void> {
  const BOXES = 12
  const owner = await ecc('Owner')
  const friends: SecretKey[] = [await rsa('Rsa friend')]
  for (let i = 1; i < BOXES; i++) friends.push(await rsa(`Friend ${i}`).catch(() => ecc(`Friend ${i}`)))
  const pubs: PublicKey[] = await Promise.all(friends.map((f) => readPublicKey(f.publicKey.armored)))
  const boxed = pubs.map((friend) => ({ friend, nameKey: ownerNameKey(owner, friend).key }))

  const out = memoryOut()
  const [cache, first] = await time(() => writeNameBoxes({ out, signer: owner, boxed, cache: {} }))
  const [, again] = await time(() => writeNameBoxes({ out, signer: owner, boxed, cache }))
  const bytes = Buffer.byteLength(out.text)

  const session = (me: SecretKey): Session =>
    ({
      friend: { name: 'owner', key: owner.publicKey, friend: true },
      me,
      route: { via: 'memory', base: 'http://boxes.invalid/', fetch: async () => new Response(out.text, { status: 200 }) },
      now: Date.now,
      random: (n: number) => Buffer.alloc(n),
      limits: { answerBytes: 1 << 26, pageBytes: 1 << 24, fileBytes: 1 << 24, timeoutMs: 30_000 },
    }) as Session
  const scans: string[] = []
  for (const who of [friends[0], friends[BOXES - 1]]) {
    const [found, ms] = await time(() => openOwnBox(session(who)))
    if (!found) throw new Error('a friend did not find its box')
    scans.push(`${ms.toFixed(0)} ms`)
  }
  console.log(`name boxes: ${BOXES} friends with RSA-3072 keys (no X25519), p/boxes.json ${(bytes / 1024).toFixed(1)} KB`)
  console.log(`  build: ${first.toFixed(0)} ms to encrypt and sign ${BOXES} boxes, ${again.toFixed(1)} ms when none changed (cache)`)
  console.log(`  friend, once: finding its own box among ${BOXES} by trying each: ${scans.join(' / ')} (two friends)`)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
