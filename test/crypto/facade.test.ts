import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  generateIdentity,
  readPublicKey,
  readSecretKey,
  encryptAndSign,
  decryptAndVerify,
  signDetached,
  verifyDetached,
  sharedSecret,
  revokeIdentity,
  PublicKey,
  SecretKey,
} from '../../src/crypto/index.ts'
import { PeerFeedError } from '../../src/errors.ts'

async function person(name: string, passphrase?: string) {
  const id = await generateIdentity({ name, email: `${name.toLowerCase()}@example.org`, passphrase })
  const secret = await readSecretKey(id.secretArmored, { passphrase })
  return { id, secret, pub: secret.publicKey }
}

async function rejects(fn: () => Promise<unknown>, code: string, pattern?: RegExp): Promise<PeerFeedError> {
  try {
    await fn()
  } catch (e) {
    assert.instance(e, PeerFeedError, `expected PeerFeedError, got ${e}`)
    assert.is((e as PeerFeedError).code, code, (e as Error).message)
    if (pattern) assert.match((e as Error).message, pattern)
    return e as PeerFeedError
  }
  throw new assert.Assertion({ message: `expected ${code}, but it resolved`, operator: 'rejects' } as never)
}

const crypto = suite('crypto facade')
let alice: Awaited<ReturnType<typeof person>>
let bob: Awaited<ReturnType<typeof person>>
let carol: Awaited<ReturnType<typeof person>>

crypto.before(async () => {
  ;[alice, bob, carol] = await Promise.all([person('Alice'), person('Bob', 'correct horse'), person('Carol')])
})

crypto('generates a v4 key with a 40-hex fingerprint, user ID and encryption subkey', async () => {
  assert.match(alice.id.fingerprint, /^[0-9a-f]{40}$/)
  assert.match(alice.id.publicArmored, /BEGIN PGP PUBLIC KEY BLOCK/)
  assert.match(alice.id.secretArmored, /BEGIN PGP PRIVATE KEY BLOCK/)
  const pub = await readPublicKey(alice.id.publicArmored)
  assert.is(pub.fingerprint, alice.id.fingerprint)
  assert.equal([...pub.userIds], ['Alice <alice@example.org>'])
  assert.is(pub.name, 'Alice')
  assert.is(pub.email, 'alice@example.org')
  assert.ok(pub.hasEncryptionKey)
  assert.not.ok(pub.expired)
  assert.not.ok(pub.revoked)
})

crypto('key wrappers are opaque: no openpgp object in keys, JSON or string form', async () => {
  assert.instance(alice.pub, PublicKey)
  assert.instance(alice.secret, SecretKey)
  for (const k of [alice.pub, alice.secret]) {
    for (const v of Object.values(k)) assert.not.ok(v && typeof v === 'object' && 'keyPacket' in v, 'an openpgp key leaked')
  }
  assert.not.match(JSON.stringify(alice.secret), /PRIVATE|keyPacket/)
  assert.is(String(alice.secret), `SecretKey(${alice.id.fingerprint})`)
})

crypto('encrypts once for several recipients; each decrypts and sees the signer', async () => {
  const page = `{"posts":[${'"x",'.repeat(1000)}"end"]}\r\nwith a CRLF\n`
  const msg = await encryptAndSign({ data: page, to: [bob.pub, carol.pub], signer: alice.secret })
  assert.is((msg.match(/BEGIN PGP MESSAGE/g) ?? []).length, 1)
  for (const me of [bob, carol]) {
    const out = await decryptAndVerify({ message: msg, key: me.secret, signers: [carol.pub, alice.pub] })
    assert.is(out.text(), page, 'bytes survive exactly, line endings included')
    assert.is(out.signer.fingerprint, alice.id.fingerprint)
  }
})

crypto('round-trips binary data byte for byte', async () => {
  const data = new Uint8Array(256).map((_, i) => i)
  const msg = await encryptAndSign({ data, to: [bob.pub], signer: alice.secret })
  const out = await decryptAndVerify({ message: msg, key: bob.secret, signers: [alice.pub] })
  assert.equal([...out.data], [...data])
})

crypto('a non-recipient cannot decrypt (NOT_FOR_ME)', async () => {
  const msg = await encryptAndSign({ data: 'for bob only', to: [bob.pub], signer: alice.secret })
  await rejects(() => decryptAndVerify({ message: msg, key: carol.secret, signers: [alice.pub] }), 'NOT_FOR_ME', /not encrypted to my key/)
})

crypto('tampered ciphertext is rejected', async () => {
  const msg = await encryptAndSign({ data: 'x'.repeat(2000), to: [bob.pub], signer: alice.secret })
  const lines = msg.split('\n')
  // Flip one character deep inside the encrypted data packet (not the header or checksum).
  const i = Math.floor(lines.length / 2)
  lines[i] = (lines[i][5] === 'A' ? lines[i].slice(0, 5) + 'B' : lines[i].slice(0, 5) + 'A') + lines[i].slice(6)
  const err = await rejects(() => decryptAndVerify({ message: lines.join('\n'), key: bob.secret, signers: [alice.pub] }), 'BAD_MESSAGE')
  assert.match(err.message, /damaged|tampered|not a readable/)
})

crypto('a signature by anyone but the expected signers is refused (BAD_SIGNATURE)', async () => {
  const msg = await encryptAndSign({ data: 'from carol, claiming to be alice', to: [bob.pub], signer: carol.secret })
  await rejects(() => decryptAndVerify({ message: msg, key: bob.secret, signers: [alice.pub] }), 'BAD_SIGNATURE', /unknown key/)
  await rejects(() => decryptAndVerify({ message: msg, key: bob.secret, signers: [] }), 'BAD_SIGNATURE')
})

crypto('detached signatures verify, and fail on changed data or the wrong signer', async () => {
  const sig = await signDetached({ data: '{"page":1}', signer: alice.secret })
  assert.match(sig, /BEGIN PGP SIGNATURE/)
  const who = await verifyDetached({ data: '{"page":1}', signature: sig, signers: [bob.pub, alice.pub] })
  assert.is(who.fingerprint, alice.id.fingerprint)
  await rejects(
    () => verifyDetached({ data: '{"page":2}', signature: sig, signers: [alice.pub] }),
    'BAD_SIGNATURE',
    /did not match|invalid/,
  )
  await rejects(() => verifyDetached({ data: '{"page":1}', signature: sig, signers: [bob.pub] }), 'BAD_SIGNATURE')
  await rejects(() => verifyDetached({ data: '{"page":1}', signature: 'nope', signers: [alice.pub] }), 'BAD_SIGNATURE')
})

crypto('a compact binary signature fits an mDNS TXT entry and verifies like an armored one', async () => {
  const payload = 'peerfeed-mdns-v1\n' + alice.id.fingerprint + '\n8080\n1700000000'
  const sig = await signDetached({ data: payload, signer: alice.secret, format: 'binary' })
  assert.instance(sig, Uint8Array)
  assert.ok(Buffer.from(sig).toString('base64').length <= 200, `${Buffer.from(sig).toString('base64').length} base64 chars`)
  const who = await verifyDetached({ data: payload, signature: sig, signers: [bob.pub, alice.pub] })
  assert.is(who.fingerprint, alice.id.fingerprint)
  await rejects(() => verifyDetached({ data: payload.replace('8080', '8081'), signature: sig, signers: [alice.pub] }), 'BAD_SIGNATURE')
  await rejects(() => verifyDetached({ data: payload, signature: sig, signers: [bob.pub] }), 'BAD_SIGNATURE')
})

crypto('sharedSecret agrees both ways, depends on info, and differs for a third key', async () => {
  const ab = sharedSecret({ mine: alice.secret, theirs: bob.pub, info: 'pages' })
  const ba = sharedSecret({ mine: bob.secret, theirs: alice.pub, info: 'pages' })
  assert.is(ab.length, 32)
  assert.is(ab.toString('hex'), ba.toString('hex'))
  assert.is.not(sharedSecret({ mine: alice.secret, theirs: bob.pub, info: 'other' }).toString('hex'), ab.toString('hex'))
  assert.is.not(sharedSecret({ mine: alice.secret, theirs: carol.pub, info: 'pages' }).toString('hex'), ab.toString('hex'))
  assert.is.not(sharedSecret({ mine: carol.secret, theirs: bob.pub, info: 'pages' }).toString('hex'), ab.toString('hex'))
})

crypto('readPublicKey refuses a secret key and things that are not keys', async () => {
  await rejects(() => readPublicKey(alice.id.secretArmored, { source: 'alice.asc' }), 'SECRET_KEY_GIVEN', /^alice\.asc: .*SECRET key/)
  await rejects(() => readPublicKey('hello world'), 'NOT_A_KEY', /not an OpenPGP public key/)
  await rejects(() => readPublicKey(new Uint8Array([1, 2, 3])), 'NOT_A_KEY')
  const msg = await encryptAndSign({ data: 'x', to: [bob.pub], signer: alice.secret })
  await rejects(() => readPublicKey(msg), 'NOT_A_KEY')
})

crypto('readPublicKey accepts the binary form of a key', async () => {
  const k = await readPublicKey(alice.pub.bytes)
  assert.is(k.fingerprint, alice.id.fingerprint)
})

crypto('readSecretKey: a missing or wrong passphrase is a clear error', async () => {
  await rejects(() => readSecretKey(bob.id.secretArmored), 'PASSPHRASE_NEEDED', /PEERFEED_PASSPHRASE|--passphrase-file/)
  await rejects(() => readSecretKey(bob.id.secretArmored, { passphrase: 'wrong' }), 'BAD_PASSPHRASE', /wrong passphrase/)
  await rejects(() => readSecretKey(bob.id.publicArmored), 'NOT_A_SECRET_KEY')
  const ok = await readSecretKey(bob.id.secretArmored, { passphrase: 'correct horse' })
  assert.is(ok.fingerprint, bob.id.fingerprint)
})

crypto('expired and revoked keys are flagged and cannot be encrypted to', async () => {
  const old = await generateIdentity({ name: 'Old', date: new Date(Date.now() - 3 * 86400_000), expiresIn: 86400 })
  const oldKey = await readPublicKey(old.publicArmored)
  assert.ok(oldKey.expired)
  assert.not.ok(oldKey.hasEncryptionKey)
  await rejects(() => encryptAndSign({ data: 'x', to: [oldKey], signer: alice.secret }), 'NO_ENCRYPTION_KEY')
  const revoked = await readPublicKey(await revokeIdentity({ key: carol.secret }))
  assert.ok(revoked.revoked)
  assert.not.ok(revoked.hasEncryptionKey)
})

crypto('encrypting to nobody is refused', async () => {
  await rejects(() => encryptAndSign({ data: 'x', to: [], signer: alice.secret }), 'NO_RECIPIENTS')
})

crypto.run()
