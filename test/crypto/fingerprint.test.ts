// fingerprintOfArmored (read without openpgp) agrees with openpgp and with gpg on every kind of key they make.
import * as openpgp from 'openpgp'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fingerprintOfArmored } from '../../src/crypto/fingerprint.ts'
import { generateIdentity } from '../../src/crypto/index.ts'
import { gpgHome, type GpgHome } from '../helpers/gpg.ts'
import { need, testIf } from '../helpers/tools.ts'

const fp = suite('fingerprint without openpgp')

fp('agrees with openpgp on v4 (default), v6 (RFC 9580) and RSA keys, and with a PeerFeed identity', async () => {
  const kinds = [{}, { type: 'curve25519' as const }, { type: 'rsa' as const, rsaBits: 2048 }]
  for (const kind of kinds) {
    const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Kim' }], ...kind, format: 'armored' })
    const key = await openpgp.readKey({ armoredKey: publicKey })
    assert.is(fingerprintOfArmored(publicKey), key.getFingerprint().toLowerCase(), JSON.stringify(kind))
  }
  const me = await generateIdentity({ name: 'Pat' })
  assert.is(fingerprintOfArmored(me.publicArmored), me.fingerprint)
  // CRLF line ends and armor headers, as some tools write them
  assert.is(fingerprintOfArmored(me.publicArmored.replace(/\n/g, '\r\n')), me.fingerprint)
})

fp('says undefined, never a wrong fingerprint, for what is not a public key', async () => {
  const me = await generateIdentity({ name: 'Pat' })
  assert.is(fingerprintOfArmored('hello'), undefined)
  assert.is(fingerprintOfArmored(me.secretArmored), undefined)
  assert.is(fingerprintOfArmored('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n'), undefined)
  // cut short: the packet's length runs past the end
  const lines = me.publicArmored.split('\n')
  const short = [...lines.slice(0, 3), '-----END PGP PUBLIC KEY BLOCK-----'].join('\n')
  assert.is(fingerprintOfArmored(short), undefined)
})

const withGpg = suite('fingerprint without openpgp: gpg keys')
const t = testIf(withGpg, need.gpg())
let g: GpgHome
withGpg.before(async () => {
  if (need.gpg().ok) g = await gpgHome()
})
withGpg.after(async () => {
  await g?.close()
})

t('agrees with gpg on its RSA, ed25519 and NIST keys', async () => {
  for (const kind of ['rsa', 'ed25519', 'nistp256'] as const) {
    const fpr = await g.makeKeyOf(kind, `${kind} <${kind}@example.org>`)
    assert.is(fingerprintOfArmored(await g.exportPublic(fpr)), fpr.toLowerCase(), kind)
  }
})

fp.run()
withGpg.run()
