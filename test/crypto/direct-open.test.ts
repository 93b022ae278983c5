// The direct opener (node:crypto, no openpgp.js) must agree with decryptAndVerify on every message: the same text
// and signer when both accept, the same error code when openpgp.js refuses, and `undefined` (openpgp.js decides)
// for shapes it does not handle. Real keys and messages from openpgp.js and from gpg.
import crypto from 'node:crypto'
import * as openpgp from 'openpgp'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openDirect } from '../../src/crypto/direct-open.ts'
import { dearmorMessage } from '../../src/crypto/recipients.ts'
import { decryptAndVerify, encryptAndSign, generateIdentity, readPublicKey, readSecretKey } from '../../src/crypto/index.ts'
import type { PublicKey, SecretKey } from '../../src/crypto/index.ts'
import { gpgHome, type GpgHome } from '../helpers/gpg.ts'
import { need, testIf } from '../helpers/tools.ts'

const test = suite('direct open (node:crypto) agrees with openpgp.js')

async function person(name: string) {
  const id = await generateIdentity({ name, email: `${name.toLowerCase()}@example.org` })
  const secret = await readSecretKey(id.secretArmored)
  return { id, secret, pub: secret.publicKey }
}

type Outcome = { text: string; signer: string } | { code: string }
async function outcome(fn: () => Promise<{ text(): string; signer: PublicKey } | undefined>): Promise<Outcome | undefined> {
  try {
    const r = await fn()
    return r && { text: r.text(), signer: r.signer.fingerprint }
  } catch (e) {
    return { code: (e as { code?: string }).code ?? String(e) }
  }
}

/** Both openers on one message; returns the direct one's outcome (undefined: it left the message to openpgp.js). */
async function both(message: string, keys: SecretKey[], signers: PublicKey[], date = new Date()) {
  const direct = await outcome(() => openDirect({ message, keys, signers, date }))
  let reference: Outcome | undefined
  for (const key of keys) {
    const r = await outcome(() => decryptAndVerify({ message, key, signers, date, inflation: { compressed: 'refuse' } }))
    reference = r
    if (r && (!('code' in r) || r.code !== 'NOT_FOR_ME')) break
  }
  if (direct) assert.equal(direct, reference, 'the direct opener and openpgp.js disagree')
  return { direct, reference: reference as Outcome }
}

const request = () => JSON.stringify({ nonce: crypto.randomBytes(16).toString('hex'), sentAt: new Date().toISOString() })

let owner: Awaited<ReturnType<typeof person>>
let bob: Awaited<ReturnType<typeof person>>
let mallory: Awaited<ReturnType<typeof person>>
test.before(async () => {
  owner = await person('Owner')
  bob = await person('Bob')
  mallory = await person('Mallory')
})

test('a friend’s request: opened directly, same text and signer as openpgp.js', async () => {
  for (let i = 0; i < 40; i++) {
    const data = request() + ' '.repeat(i)
    const msg = await encryptAndSign({ data, to: i % 2 ? [owner.pub] : [bob.pub, owner.pub], signer: bob.secret })
    const { direct } = await both(msg, [owner.secret], [mallory.pub, bob.pub])
    assert.equal(direct, { text: data, signer: bob.pub.fingerprint })
  }
})

test('encrypted to an earlier key of the owner (after key rotate): opened with that key', async () => {
  const older = await person('Elder')
  const msg = await encryptAndSign({ data: request(), to: [older.pub], signer: bob.secret })
  const { direct } = await both(msg, [owner.secret, older.secret], [bob.pub])
  assert.ok(direct && 'text' in direct)
})

test('not for me, unknown signer, tampered, from the future: refused with openpgp.js’s codes', async () => {
  const stranger = await person('Stranger')
  const forOther = await encryptAndSign({ data: request(), to: [stranger.pub], signer: bob.secret })
  assert.equal((await both(forOther, [owner.secret], [bob.pub])).direct, { code: 'NOT_FOR_ME' })

  const byMallory = await encryptAndSign({ data: request(), to: [owner.pub], signer: mallory.secret })
  assert.equal((await both(byMallory, [owner.secret], [bob.pub])).direct, { code: 'BAD_SIGNATURE' })

  const future = await encryptAndSign({ data: request(), to: [owner.pub], signer: bob.secret, date: new Date(Date.now() + 3600_000) })
  assert.equal((await both(future, [owner.secret], [bob.pub])).direct, { code: 'BAD_SIGNATURE' })

  // flip one byte of the encrypted data (past the session key packet): the MDC catches it
  const good = await encryptAndSign({ data: request(), to: [owner.pub], signer: bob.secret })
  const bytes = Uint8Array.from(dearmorMessage(good))
  bytes[bytes.length - 30] ^= 1
  const tampered = openpgp.armor(openpgp.enums.armor.message, bytes)
  assert.equal((await both(tampered, [owner.secret], [bob.pub])).direct, { code: 'BAD_MESSAGE' })
})

test('a compressed request is refused as COMPRESSED; an unsigned one is left to openpgp.js', async () => {
  const msg = await openpgp.createMessage({ binary: new TextEncoder().encode(request()) })
  const compressed = await openpgp.encrypt({
    message: msg,
    encryptionKeys: await openpgp.readKey({ armoredKey: owner.id.publicArmored }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey: bob.id.secretArmored }),
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
  })
  const c = await both(compressed as string, [owner.secret], [bob.pub])
  assert.equal(c.direct, { code: 'COMPRESSED' })
  const unsigned = await openpgp.encrypt({ message: msg, encryptionKeys: await openpgp.readKey({ armoredKey: owner.id.publicArmored }) })
  const u = await both(unsigned as string, [owner.secret], [bob.pub])
  assert.is(u.direct, undefined)
  assert.equal(u.reference, { code: 'BAD_SIGNATURE' })
})

test('an RSA friend: left to openpgp.js, which accepts it', async () => {
  const rsa = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ name: 'Rita' }], format: 'armored' })
  const rita = await readSecretKey(rsa.privateKey)
  const msg = await encryptAndSign({ data: 'hi', to: [owner.pub], signer: rita })
  const r = await both(msg, [owner.secret], [await readPublicKey(rsa.publicKey)])
  assert.is(r.direct, undefined)
  assert.equal(r.reference, { text: 'hi', signer: rita.fingerprint })
})

const gpg = suite('direct open of gpg-made requests')
const g = testIf(gpg, need.gpg())
let home: GpgHome
gpg.before(async () => {
  if (!need.gpg().ok) return
  home = await gpgHome()
})
gpg.after(async () => {
  await home?.close()
})

g('gpg --sign --encrypt --compress-algo none [--throw-keyids]: opened directly, as openpgp.js does', async () => {
  const me = await person('Server')
  const fpr = await home.makeKey('Gina Gpg <gina@example.org>')
  const gina = await readPublicKey((await home.run(['--armor', '--export', fpr])).stdout)
  assert.is((await home.run(['--import'], me.id.publicArmored)).code, 0)
  for (const extra of [[], ['--throw-keyids']]) {
    const text = request()
    const enc = await home.run(
      [
        '--trust-model',
        'always',
        '--compress-algo',
        'none',
        ...extra,
        '--armor',
        '--local-user',
        fpr,
        '--recipient',
        me.id.fingerprint,
        '--sign',
        '--encrypt',
      ],
      text,
    )
    assert.is(enc.code, 0, enc.stderr)
    const { direct, reference } = await both(enc.stdout, [me.secret], [gina])
    assert.equal(reference, { text, signer: fpr })
    assert.equal(direct, reference, `gpg ${extra.join(' ')}: the direct opener should handle gpg's shape`)
  }
})

test.run()
gpg.run()
