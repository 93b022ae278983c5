// `init` names you (never the OS user), commits what must survive (never the secret key), starts empty, and renames.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readPublicKey, readSecretKey, encryptAndSign, decryptAndVerify } from '../../src/crypto/index.ts'
import { BIN, cli, tempDir } from '../helpers/index.ts'

const test = suite('init')
const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
const tracked = (root: string) => git(root, 'ls-files').split('\n').filter(Boolean).sort()
let root: string

test.before(async () => {
  root = await tempDir('peerfeed-init-')
})
test.after(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

test('without a name (and no terminal) init refuses and creates nothing; never the OS user', async () => {
  const r = await cli(['init', '--root', root])
  assert.is(r.code, 1)
  assert.match(r.stderr, /your name is needed .*peerfeed init --name "Your Name"/)
  assert.equal(await fs.readdir(root), [])
})

test('init --name --email --url writes peerfeed.yaml and commits .gitignore, peerfeed.yaml and keys/ but no secret; feed/ is empty', async () => {
  const r = await cli(['init', '--root', root, '--name', 'Ada Lovelace', '--email', 'ada@example.org', '--url', 'https://ada.example.org'])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /created your key [0-9a-f]{40} for "Ada Lovelace"/)
  assert.match(r.stdout, /committed [0-9a-f]{10} \(init: feed of Ada Lovelace\)/)
  const config = await fs.readFile(path.join(root, 'peerfeed.yaml'), 'utf8')
  assert.match(config, /^name: Ada Lovelace$/m)
  assert.match(config, /^email: ada@example.org$/m)
  assert.match(config, /^url: https:\/\/ada\.example\.org\/$/m)
  assert.equal(tracked(root), ['.gitignore', 'keys/self.asc', 'peerfeed.yaml'])
  assert.is(git(root, 'status', '--porcelain'), '')
  assert.equal(await fs.readdir(path.join(root, 'feed')), [])
  const key = await readPublicKey(await fs.readFile(path.join(root, 'keys/self.asc'), 'utf8'))
  assert.is(key.name, 'Ada Lovelace')
})

test('init --name again renames: peerfeed.yaml and the key user ID change, the fingerprint stays, and it says so', async () => {
  const before = await readPublicKey(await fs.readFile(path.join(root, 'keys/self.asc'), 'utf8'))
  const secretBefore = await readSecretKey(await fs.readFile(path.join(root, '.peerfeed/self.secret.asc'), 'utf8'))
  const r = await cli(['init', '--root', root, '--name', 'Ada King'])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /you are now "Ada King <ada@example.org>" \(was "Ada Lovelace <ada@example.org>"\).*same fingerprint/)
  assert.match(await fs.readFile(path.join(root, 'peerfeed.yaml'), 'utf8'), /^name: Ada King$/m)
  const after = await readPublicKey(await fs.readFile(path.join(root, 'keys/self.asc'), 'utf8'))
  assert.is(after.fingerprint, before.fingerprint)
  assert.equal(after.userIds, ['Ada King <ada@example.org>'])
  // same key material: a message to the renamed key opens with the secret key from before the rename
  const secretAfter = await readSecretKey(await fs.readFile(path.join(root, '.peerfeed/self.secret.asc'), 'utf8'))
  const msg = await encryptAndSign({ data: new TextEncoder().encode('hi'), to: [after], signer: secretAfter })
  const opened = await decryptAndVerify({ message: msg, key: secretBefore, signers: [before] })
  assert.is(new TextDecoder().decode(opened.data), 'hi')
  assert.match(git(root, 'log', '-1', '--format=%s'), /^settings: name Ada King/)
  assert.equal(tracked(root), ['.gitignore', 'keys/self.asc', 'peerfeed.yaml'])
  const same = await cli(['init', '--root', root, '--name', 'Ada King'])
  assert.match(same.stdout, /your name is already "Ada King <ada@example.org>"; nothing to change/)
})

test('peer, group and settings changes are each their own commit; the secret key never is', async () => {
  const other = await tempDir('peerfeed-init-bob-')
  try {
    assert.is((await cli(['init', '--root', other, '--name', 'Bob'])).code, 0)
    const count = () => Number(git(root, 'rev-list', '--count', 'HEAD'))
    let n = count()
    const step = async (args: string[], subject: RegExp) => {
      const r = await cli([...args, '--root', root])
      assert.is(r.code, 0, r.stderr)
      assert.match(r.stdout, /committed [0-9a-f]{10}/)
      assert.is(count(), ++n, args.join(' '))
      assert.match(git(root, 'log', '-1', '--format=%s'), subject)
      assert.is(git(root, 'status', '--porcelain'), '')
    }
    await step(['peer', 'add', 'bob', path.join(other, 'keys/self.asc')], /^peer: add bob/)
    await step(['group', 'add', 'family', 'bob'], /^group: add bob to family/)
    await step(['group', 'remove', 'family', 'bob'], /^group: remove bob from family/)
    await step(['group', 'add', 'family', 'bob'], /^group: add bob/)
    await step(['peer', 'remove', 'bob'], /^peer: remove bob/)
    await step(['init', '--url', 'https://ada.example.net/'], /^settings: url https:\/\/ada\.example\.net\//)
    assert.not.ok(tracked(root).some((f) => f.includes('secret') || f.startsWith('.peerfeed')))
    assert.not.match(git(root, 'log', '--all', '-p'), /PRIVATE KEY/)
  } finally {
    await fs.rm(other, { recursive: true, force: true })
  }
})

test('the examples live in docs and come with init --examples; they pass check', async () => {
  const ex = await tempDir('peerfeed-examples-')
  try {
    const r = await cli(['init', '--root', ex, '--name', 'Ex', '--examples'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /copied 9 example files into feed\//)
    const c = await cli(['check', '--root', ex])
    assert.is(c.code, 0, c.stdout)
    assert.match(c.stdout, /^ok: 8 posts checked/)
    // the example image is a real picture, not a token few bytes
    const png = await fs.readFile(path.join(ex, 'feed/2026/11/2026-11-20T08-15-00Z-snow-on-the-roofs.png'))
    assert.is(png.subarray(1, 4).toString(), 'PNG')
    assert.ok(png.readUInt32BE(16) >= 320 && png.readUInt32BE(20) >= 200, `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`)
    assert.ok(png.length > 10_000)
  } finally {
    await fs.rm(ex, { recursive: true, force: true })
  }
})

test('a new feed builds to a site that says kindly there are no posts yet', async () => {
  const b = await cli(['build', '--root', root])
  assert.is(b.code, 0, b.stderr)
  const home = await fs.readFile(path.join(root, 'dist/index.html'), 'utf8')
  assert.match(home, /Nothing here yet — Ada King has not shared any public posts so far/)
})

test('on a terminal init asks for the name, email and site address', async () => {
  const fresh = await tempDir('peerfeed-init-tty-')
  try {
    const env = { ...process.env, TERM: 'dumb' } as Record<string, string>
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
    const out = execFileSync('script', ['-qec', `${q(process.execPath)} ${q(BIN)} init --root ${q(fresh)}; echo "exit=$?"`, '/dev/null'], {
      env,
      encoding: 'utf8',
      input: 'Grace Hopper\ngrace@example.org\nhttps://grace.example.org/\n\n',
      timeout: 60_000,
    })
    assert.match(out, /Your name, as friends will see it:/)
    assert.match(out, /exit=0/)
    const config = await fs.readFile(path.join(fresh, 'peerfeed.yaml'), 'utf8')
    assert.match(config, /^name: Grace Hopper$/m)
    assert.match(config, /^url: https:\/\/grace\.example\.org\/$/m)
  } finally {
    await fs.rm(fresh, { recursive: true, force: true })
  }
})

test.run()
