// `peerfeed device add` and `device join` through the real CLI: export under a passphrase, clone, join, build.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readSecretKey } from '../../src/crypto/index.ts'
import { cli, git, tempDir } from '../helpers/index.ts'

const test = suite('device add and join')
let dir: string
let A: string, B: string
const PASS = 'correct horse battery staple'

test.before(async () => {
  dir = await tempDir('peerfeed-join-')
  A = path.join(dir, 'A')
  const init = await cli(['init', '--root', A, '--name', 'Ada'])
  assert.is(init.code, 0, init.stderr)
  await git(A, 'add', '-A')
  await git(A, 'commit', '-q', '--allow-empty', '-m', 'feed') // init committed its files already
  await git(dir, 'init', '-q', '--bare', 'origin.git')
  await git(A, 'remote', 'add', 'origin', path.join(dir, 'origin.git'))
  await git(A, 'push', '-q', '-u', 'origin', 'HEAD')
})

test.after(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

test('device add refuses to export without a passphrase', async () => {
  const r = await cli(['device', 'add', '--root', A, '--out', path.join(dir, 'x.secret.asc')], { env: { PEERFEED_PASSPHRASE: '' } })
  assert.is(r.code, 1)
  assert.match(r.stderr, 'must be protected by a passphrase')
  await assert.not.ok(await fs.stat(path.join(dir, 'x.secret.asc')).catch(() => false))
})

test('device add --out writes a protected export, draws a QR code, and never overwrites', async () => {
  const out = path.join(dir, 'export.secret.asc')
  const r = await cli(['device', 'add', '--root', A, '--out', out], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, `wrote ${out}`)
  assert.match(r.stdout, '▀', 'a QR code in the terminal')
  assert.match(r.stdout, 'peerfeed device join export.secret.asc')
  assert.is((await fs.stat(out)).mode & 0o777, 0o600)
  const text = await fs.readFile(out, 'utf8')
  try {
    await readSecretKey(text)
    assert.unreachable('the export opened without a passphrase')
  } catch (e) {
    assert.is((e as { code: string }).code, 'PASSPHRASE_NEEDED')
  }
  assert.ok(await readSecretKey(text, { passphrase: PASS }))
  const again = await cli(['device', 'add', '--root', A, '--out', out], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(again.code, 1)
  assert.match(again.stderr, 'already exists')
})

test('device join on a clone: wrong passphrase refused, right one joins, the device builds with its own ledger file', async () => {
  await git(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'B')
  B = path.join(dir, 'B')
  const out = path.join(dir, 'export.secret.asc')
  const wrong = await cli(['device', 'join', out, '--root', B], { env: { PEERFEED_PASSPHRASE: 'nope' } })
  assert.is(wrong.code, 1)
  assert.match(wrong.stderr, 'wrong passphrase')
  const passFile = path.join(dir, 'pass.txt')
  await fs.writeFile(passFile, `${PASS}\n`)
  const r = await cli(['device', 'join', out, '--root', B, '--passphrase-file', passFile], { env: { PEERFEED_PASSPHRASE: '' } })
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, 'its device id is')
  const again = await cli(['device', 'join', out, '--root', B, '--passphrase-file', passFile])
  assert.is(again.code, 1)
  assert.match(again.stderr, 'already joined')

  await fs.mkdir(path.join(B, 'feed', '2026', '11'), { recursive: true })
  await fs.writeFile(
    path.join(B, 'feed', '2026', '11', '2026-11-25T09-00-00Z-from-b.yaml'),
    'type: status\npublished: 2026-11-25T09:00:00Z\ntext: from the laptop\n',
  )
  const b = await cli(['build', '--root', B, '--passphrase-file', passFile])
  assert.is(b.code, 0, b.stderr)
  const a = await cli(['build', '--root', A])
  assert.is(a.code, 0, a.stderr)
  const idA = JSON.parse(await fs.readFile(path.join(A, '.peerfeed', 'device.json'), 'utf8')).id
  const idB = JSON.parse(await fs.readFile(path.join(B, '.peerfeed', 'device.json'), 'utf8')).id
  assert.is.not(idA, idB)
  assert.ok((await fs.readdir(path.join(B, 'ledger'))).includes(`${idB}.txt`))
  assert.is(await git(B, 'status', '--porcelain', 'ledger'), '', 'the ledger is committed')
})

test("device join refuses a key that is not the feed's", async () => {
  const other = path.join(dir, 'other')
  assert.is((await cli(['init', '--root', other, '--name', 'Eve'])).code, 0)
  const out = path.join(dir, 'eve.secret.asc')
  assert.is((await cli(['device', 'add', '--root', other, '--out', out], { env: { PEERFEED_PASSPHRASE: PASS } })).code, 0)
  await git(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'C')
  const r = await cli(['device', 'join', out, '--root', path.join(dir, 'C')], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(r.code, 1)
  assert.match(r.stderr, "but this feed's key")
})

test.run()
