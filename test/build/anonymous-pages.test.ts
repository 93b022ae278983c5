// Pages do not name their readers: every dist/p/*.asc lists only anonymous (all-zero) key ids to a stranger's
// `gpg --list-packets`, and GnuPG with a reader's secret key still decrypts and verifies them.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { gpgHome, type GpgHome } from '../helpers/gpg.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'

const test = suite('build: anonymous recipients')
const t = testIf(test, need.gpg())
let alice: TestFeed, bob: TestFeed, carol: TestFeed
const homes: GpgHome[] = []

test.after(async () => {
  for (const h of homes) await h.close()
  await Promise.all([alice?.close(), bob?.close(), carol?.close()])
})

/** Every key id a stranger's gpg reads from a message, and how many encrypted session keys it holds. */
async function keyIdsSeen(g: GpgHome, file: string): Promise<{ ids: string[]; pkesk: number }> {
  const r = await g.run(['--list-packets', file])
  const text = r.stdout + r.stderr
  return {
    ids: [...text.matchAll(/keyid ([0-9A-F]{16})/gi)].map((m) => m[1].toLowerCase()),
    pkesk: (text.match(/:pubkey enc packet:/g) ?? []).length,
  }
}

t('a stranger reads no reader key id from any private page, index or blob; gpg with a reader key decrypts them', async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await alice.befriend(carol)
  await alice.group('family', ['bob', 'carol'])
  await alice.post({ text: 'for bob alone', to: ['bob'] })
  await alice.post({ text: 'for the family', to: ['family'] })
  await alice.build()
  const dir = path.join(await fs.realpath(alice.layout.dist), 'p')
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.asc'))
  assert.ok(files.length >= 4, `pages, indexes: ${files.join(', ')}`)

  const stranger = await gpgHome()
  homes.push(stranger)
  const reader = await gpgHome()
  homes.push(reader)
  assert.is((await reader.run(['--import'], await fs.readFile(bob.layout.selfSecretKey))).code, 0)
  assert.is((await reader.run(['--import'], await fs.readFile(alice.layout.selfPublicKey))).code, 0)
  const listed = await reader.run(['--with-colons', '--list-keys'])
  const readerIds = [...listed.stdout.matchAll(/^(?:pub|sub):[^:]*:[^:]*:[^:]*:([0-9A-F]{16}):/gm)].map((m) => m[1].toLowerCase())
  assert.ok(readerIds.length >= 4)

  let pkesks = 0
  for (const f of files) {
    const { ids, pkesk } = await keyIdsSeen(stranger, path.join(dir, f))
    pkesks += pkesk
    for (const id of ids) assert.is(id, '0000000000000000', `${f} names key ${id}`)
    for (const id of readerIds) assert.not.ok(ids.includes(id), `${f} names a reader's key`)
  }
  assert.ok(pkesks >= files.length, 'every message holds at least one encrypted session key')

  // Bob's gpg tries its secret key on anonymous recipients and reads his pages (his index, his page, the family's).
  let opened = 0
  for (const f of files) {
    const r = await reader.run(['--status-fd', '2', '--trust-model', 'always', '--decrypt', path.join(dir, f)])
    // gpg exits 2 when another reader's slot came first (it reports that slot's failure) even though it then
    // decrypted: DECRYPTION_OKAY is the signal, not the exit code.
    if (!r.stderr.includes('[GNUPG:] DECRYPTION_OKAY')) continue
    assert.match(r.stderr, new RegExp(`VALIDSIG .* ${alice.fingerprint.toUpperCase()}`))
    assert.match(r.stdout, alice.fingerprint)
    opened++
  }
  assert.ok(opened >= 3, `bob's gpg opened ${opened} of ${files.length}`)
})

test.run()
