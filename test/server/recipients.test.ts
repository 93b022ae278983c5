// recipientKeyIds reads who a message is for from its packet headers alone, and refuses what is not a message.
import * as openpgp from 'openpgp'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encryptAndSign, generateIdentity, readPublicKey, readSecretKey, signDetached } from '../../src/crypto/index.ts'
import { recipientKeyIds } from '../../src/crypto/recipients.ts'
import { PeerFeedError } from '../../src/errors.ts'

const test = suite('recipientKeyIds')

const code = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as PeerFeedError).code
  }
  return 'none'
}

test('PeerFeed messages name no recipient: every key id is the wildcard', async () => {
  const [a, b, me] = await Promise.all([generateIdentity({ name: 'A' }), generateIdentity({ name: 'B' }), generateIdentity({ name: 'Me' })])
  const [ka, kb] = await Promise.all([readPublicKey(a.publicArmored), readPublicKey(b.publicArmored)])
  const msg = await encryptAndSign({ data: 'hi', to: [ka, kb], signer: await readSecretKey(me.secretArmored) })
  assert.equal(recipientKeyIds(msg), ['0000000000000000', '0000000000000000'])
})

test('names the encryption subkey of every recipient of a message that names them, without decrypting', async () => {
  const [a, b] = await Promise.all([generateIdentity({ name: 'A' }), generateIdentity({ name: 'B' })])
  const [ka, kb] = await Promise.all([readPublicKey(a.publicArmored), readPublicKey(b.publicArmored)])
  // as another OpenPGP program writes it by default (key ids in the clear)
  const encryptionKeys = await Promise.all([a.publicArmored, b.publicArmored].map((armoredKey) => openpgp.readKey({ armoredKey })))
  const msg = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'hi' }), encryptionKeys })
  const ids = recipientKeyIds(msg)
  assert.is(ids.length, 2)
  assert.ok(ka.hasKeyId(ids[0]) && !ka.hasKeyId(ids[1]))
  assert.ok(kb.hasKeyId(ids[1]))
  assert.is.not(ids[0], ka.fingerprint.slice(-16), 'the encryption subkey, not the primary key')
})

test('refuses text, bad base64, non-packets, truncation and signatures', async () => {
  const me = await readSecretKey((await generateIdentity({ name: 'Me' })).secretArmored)
  assert.is(
    code(() => recipientKeyIds('hello')),
    'NOT_ARMORED',
  )
  assert.is(
    code(() => recipientKeyIds('-----BEGIN PGP MESSAGE-----\n\n%%%\n-----END PGP MESSAGE-----')),
    'NOT_ARMORED',
  )
  assert.is(
    code(() => recipientKeyIds('-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----')),
    'NOT_A_MESSAGE',
  )
  assert.is(
    code(() => recipientKeyIds('-----BEGIN PGP MESSAGE-----\n\nwV4DAAAA\n-----END PGP MESSAGE-----')),
    'NOT_A_MESSAGE',
  )
  const sig = (await signDetached({ data: 'x', signer: me })).replace(/SIGNATURE/g, 'MESSAGE')
  assert.is(
    code(() => recipientKeyIds(sig)),
    'NOT_ENCRYPTED',
  )
})

test.run()
