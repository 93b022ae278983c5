import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  generateIdentity,
  readPublicKey,
  readSecretKey,
  encryptAndSign,
  decryptAndVerify,
  verifyDetached,
  signDetached,
} from '../../src/crypto/index.ts'
import { cli, tempDir } from '../helpers/index.ts'
import { gpgHome, type GpgHome } from '../helpers/gpg.ts'
import { need, testIf } from '../helpers/tools.ts'

const interop = suite('gpg interop')
const t = testIf(interop, need.gpg())
let g: GpgHome
let gpgFpr: string

interop.before(async () => {
  if (!need.gpg().ok) return
  g = await gpgHome()
  gpgFpr = await g.makeKey('Gina Gpg <gina@example.org>')
})
interop.after(async () => {
  await g?.close()
})

t('a PeerFeed-generated key imports into gpg as ed25519 + cv25519', async () => {
  const me = await generateIdentity({ name: 'Pat Peer', email: 'pat@example.org' })
  const r = await g.run(['--import'], me.publicArmored)
  assert.is(r.code, 0, r.stderr)
  const listed = await g.run(['--with-colons', '--list-keys', me.fingerprint])
  assert.match(listed.stdout, new RegExp(`fpr:+${me.fingerprint.toUpperCase()}:`))
  assert.match(listed.stdout, /^pub:[^\n]*:22:[^\n]*ed25519/m)
  assert.match(listed.stdout, /^sub:[^\n]*:18:[^\n]*cv25519/m)
})

t('a gpg-made key (ed25519 sign + cv25519 encr) is accepted by `peer add`', async () => {
  const root = await tempDir()
  await fs.writeFile(path.join(root, 'peerfeed.yaml'), 'name: Test\n') // a feed (commands refuse elsewhere)
  const exported = await g.run(['--armor', '--export', gpgFpr])
  await fs.writeFile(path.join(root, 'gina.asc'), exported.stdout)
  const r = await cli(['peer', 'add', 'gina', path.join(root, 'gina.asc'), '--root', root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /GINA|gina/i)
  assert.match(r.stdout.replace(/\s/g, ''), new RegExp(gpgFpr.toUpperCase()))
  const stored = await readPublicKey(await fs.readFile(path.join(root, 'keys/gina.asc'), 'utf8'))
  assert.is(stored.fingerprint, gpgFpr)
})

t('gpg decrypts and verifies what PeerFeed encrypts and signs', async () => {
  const me = await generateIdentity({ name: 'Pat Peer', email: 'pat2@example.org' })
  const signer = await readSecretKey(me.secretArmored)
  const gina = await readPublicKey((await g.run(['--armor', '--export', gpgFpr])).stdout)
  await g.run(['--import'], me.publicArmored)
  const text = 'hello gina\nfrom PeerFeed ✓\n'
  const msg = await encryptAndSign({ data: text, to: [gina], signer })
  const dir = await tempDir()
  const out = path.join(dir, 'plain.txt')
  const r = await g.run(['--status-fd', '2', '--trust-model', 'always', '--output', out, '--decrypt'], msg)
  assert.is(r.code, 0, r.stderr)
  assert.is(await fs.readFile(out, 'utf8'), text)
  assert.match(r.stderr, /\[GNUPG:\] GOODSIG /)
  assert.match(r.stderr, new RegExp(`\\[GNUPG:\\] VALIDSIG ${me.fingerprint.toUpperCase()} `))
})

t('PeerFeed decrypts and verifies what gpg encrypts and signs', async () => {
  const me = await generateIdentity({ name: 'Pat Peer', email: 'pat3@example.org' })
  const key = await readSecretKey(me.secretArmored)
  assert.is((await g.run(['--import'], me.publicArmored)).code, 0)
  const gina = await readPublicKey((await g.run(['--armor', '--export', gpgFpr])).stdout)
  const text = 'hi pat, from gpg\n'
  const enc = await g.run(
    ['--trust-model', 'always', '--armor', '--local-user', gpgFpr, '--recipient', me.fingerprint, '--sign', '--encrypt'],
    text,
  )
  assert.is(enc.code, 0, enc.stderr)
  const out = await decryptAndVerify({ message: enc.stdout, key, signers: [gina] })
  assert.is(out.text(), text)
  assert.is(out.signer.fingerprint, gpgFpr)
  // …and the same message is refused when gina is not among the expected signers.
  try {
    await decryptAndVerify({ message: enc.stdout, key, signers: [key.publicKey] })
    assert.unreachable('accepted an unexpected signer')
  } catch (e) {
    assert.is((e as { code?: string }).code, 'BAD_SIGNATURE')
  }
})

t('gpg verifies a PeerFeed detached signature and PeerFeed verifies a gpg one', async () => {
  const me = await generateIdentity({ name: 'Pat Peer', email: 'pat4@example.org' })
  const key = await readSecretKey(me.secretArmored)
  await g.run(['--import'], me.publicArmored)
  const dir = await tempDir()
  const data = path.join(dir, 'page.json')
  await fs.writeFile(data, '{"posts":[]}\n')
  await fs.writeFile(`${data}.asc`, await signDetached({ data: '{"posts":[]}\n', signer: key }))
  const v = await g.run(['--status-fd', '2', '--verify', `${data}.asc`, data])
  assert.is(v.code, 0, v.stderr)
  assert.match(v.stderr, new RegExp(`VALIDSIG ${me.fingerprint.toUpperCase()} `))
  const s = await g.run(['--armor', '--local-user', gpgFpr, '--output', '-', '--detach-sign', data])
  assert.is(s.code, 0, s.stderr)
  const gina = await readPublicKey((await g.run(['--armor', '--export', gpgFpr])).stdout)
  const who = await verifyDetached({ data: '{"posts":[]}\n', signature: s.stdout, signers: [gina] })
  assert.is(who.fingerprint, gpgFpr)
})

t('`peer add` refuses a gpg key without an encryption subkey', async () => {
  const signOnly = await g.makeKey('Sam Signonly <sam@example.org>', { encrypt: false })
  const root = await tempDir()
  await fs.writeFile(path.join(root, 'peerfeed.yaml'), 'name: Test\n')
  await fs.writeFile(path.join(root, 'sam.asc'), (await g.run(['--armor', '--export', signOnly])).stdout)
  const r = await cli(['peer', 'add', 'sam', path.join(root, 'sam.asc'), '--root', root])
  assert.is(r.code, 1)
  assert.match(r.stderr, /no usable encryption subkey/)
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace')
})

interop.run()
