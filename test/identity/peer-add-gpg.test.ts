// `peer add` with real gpg-made keys: every common kind that can encrypt is taken; a key that cannot encrypt,
// has expired or is revoked is refused with the reason, through the CLI.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cli, tempDir } from '../helpers/index.ts'
import { gpgHome, type GpgHome, type GpgKeyKind } from '../helpers/gpg.ts'
import { need, testIf } from '../helpers/tools.ts'

const test = suite('peer add: gpg-made keys')
const t = testIf(test, need.gpg())
let g: GpgHome
let root: string

test.before(async () => {
  if (!need.gpg().ok) return
  g = await gpgHome()
  root = await tempDir('peerfeed-peeradd-')
  const init = await cli(['init', '--root', root, '--name', 'Owner'])
  assert.is(init.code, 0, init.stderr)
})
test.after(async () => {
  await g?.close()
  if (root) await fs.rm(root, { recursive: true, force: true })
})

async function add(name: string, armored: string) {
  const file = path.join(g.home, `${name}.asc`)
  await fs.writeFile(file, armored)
  return cli(['peer', 'add', name, file, '--root', root])
}

for (const kind of ['rsa', 'ed25519', 'nistp256', 'nistp384'] as GpgKeyKind[]) {
  t(`a ${kind} key with an encryption subkey is added`, async () => {
    const fpr = await g.makeKeyOf(kind, `Ok ${kind} <ok-${kind}@example.org>`)
    const r = await add(`ok-${kind}`, await g.exportPublic(fpr))
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout.replace(/\s/g, ''), fpr.toUpperCase())
  })
}

for (const kind of ['rsa', 'nistp256'] as GpgKeyKind[]) {
  t(`a ${kind} key that can only sign is refused: nothing could be encrypted to it`, async () => {
    const fpr = await g.makeKeyOf(kind, `Signer ${kind} <sign-${kind}@example.org>`, { encrypt: false })
    const r = await add(`sign-${kind}`, await g.exportPublic(fpr))
    assert.is.not(r.code, 0)
    assert.match(r.stderr, 'no usable encryption subkey (it can only sign)')
    assert.not.ok(
      await fs.access(path.join(root, `keys/sign-${kind}.asc`)).then(
        () => true,
        () => false,
      ),
    )
  })
}

t('an RSA key under 2048 bits and a DSA/ElGamal key are refused, saying why', async () => {
  const weak = 'Weak Walt <walt@example.org>'
  assert.is((await g.run(['--quick-gen-key', weak, 'rsa1024', 'default', 'never'])).code, 0)
  const wfpr = (await g.run(['--with-colons', '--list-keys', weak])).stdout
    .split('\n')
    .find((l) => l.startsWith('fpr:'))!
    .split(':')[9]
  const r1 = await add('walt', await g.exportPublic(wfpr))
  assert.is.not(r1.code, 0)
  assert.match(r1.stderr, 'its RSA key has 1024 bits; at least 2048 are needed')
  const old = 'Old Dora <dora@example.org>'
  assert.is((await g.run(['--quick-gen-key', old, 'dsa2048', 'sign', 'never'])).code, 0)
  const dfpr = (await g.run(['--with-colons', '--list-keys', old])).stdout
    .split('\n')
    .find((l) => l.startsWith('fpr:'))!
    .split(':')[9]
  assert.is((await g.run(['--quick-add-key', dfpr, 'elg2048', 'encr', 'never'])).code, 0)
  const r2 = await add('dora', await g.exportPublic(dfpr))
  assert.is.not(r2.code, 0)
  assert.match(r2.stderr, 'DSA/ElGamal')
})

t('an expired key is refused with the reason', async () => {
  const uid = 'Old Otto <otto@example.org>'
  // made "in 2020" with one day of validity
  const r0 = await g.run(['--faked-system-time', '20200101T000000!', '--quick-gen-key', uid, 'ed25519', 'sign', '1d'])
  assert.is(r0.code, 0, r0.stderr)
  const fpr = (await g.run(['--with-colons', '--list-keys', uid])).stdout
    .split('\n')
    .find((l) => l.startsWith('fpr:'))!
    .split(':')[9]
  assert.is((await g.run(['--faked-system-time', '20200101T000000!', '--quick-add-key', fpr, 'cv25519', 'encr', '1d'])).code, 0)
  const r = await add('otto', await g.exportPublic(fpr))
  assert.is.not(r.code, 0)
  assert.match(r.stderr, 'has expired')
})

t('a revoked key is refused with the reason', async () => {
  const fpr = await g.makeKeyOf('ed25519', 'Gone Gus <gus@example.org>')
  // gpg writes a revocation certificate for every key it makes; importing it revokes the key
  const cert = (await fs.readFile(path.join(g.home, 'openpgp-revocs.d', `${fpr.toUpperCase()}.rev`), 'utf8')).replace(/^:-----/m, '-----')
  assert.is((await g.run(['--import'], cert)).code, 0)
  const r = await add('gus', await g.exportPublic(fpr))
  assert.is.not(r.code, 0)
  assert.match(r.stderr, 'revoked')
})

test.run()
