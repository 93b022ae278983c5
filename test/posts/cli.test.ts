// The real CLI on real temp feeds: init, post, check — exit codes and messages that name file and line.
import fs from 'node:fs/promises'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { cli, tempDir } from '../helpers/index.ts'

let root: string

test.before(async () => {
  root = await tempDir('peerfeed-cli-')
})

test('init creates the layout, a .gitignore with the secrets, a repo and a key; twice is harmless', async () => {
  const r = await cli(['init', '--root', root, '--name', 'Ada'])
  assert.is(r.code, 0, r.stderr)
  for (const d of ['feed', 'keys', 'groups']) assert.ok((await fs.stat(path.join(root, d))).isDirectory())
  const ignore = await fs.readFile(path.join(root, '.gitignore'), 'utf8')
  for (const l of ['.peerfeed/', 'dist', 'inbox/']) assert.ok(ignore.includes(l))
  assert.ok(await simpleGit(root).checkIsRepo())
  const key = await fs.readFile(path.join(root, 'keys/self.asc'), 'utf8')
  const again = await cli(['init', '--root', root])
  assert.is(again.code, 0)
  assert.match(again.stdout, /already exists; nothing to do/)
  assert.is(await fs.readFile(path.join(root, 'keys/self.asc'), 'utf8'), key)
  assert.is(await fs.readFile(path.join(root, '.gitignore'), 'utf8'), ignore)
})

test('post writes feed/YYYY/MM/<time>-<slug>.yaml and commits it', async () => {
  const r = await cli(['post', '--root', root, '--text', 'First snow in the garden!', '--tag', 'winter', '--date', '2026-11-24T09:30:00Z'])
  assert.is(r.code, 0, r.stderr)
  const file = 'feed/2026/11/2026-11-24T09-30-00Z-first-snow-in-the-garden.yaml'
  const text = await fs.readFile(path.join(root, file), 'utf8')
  assert.match(text, /^type: status\npublished: "2026-11-24T09:30:00Z"\ntags: \[ winter \]\ntext: First snow in the garden!\n$/)
  const log = await simpleGit(root).log()
  assert.match(log.latest!.message, /post: 2026-11-24T09-30-00Z-first-snow/)
})

test('post takes its words after the command, alone (a status) or after a type; a lone unknown word is refused', async () => {
  const plain = await cli(['post', '--root', root, 'Hello from the garden', '--date', '2026-11-24T11:00:00Z', '--no-commit'])
  assert.is(plain.code, 0, plain.stderr)
  const file = plain.stdout.match(/wrote (\S+)/)![1]
  assert.match(await fs.readFile(path.join(root, file), 'utf8'), /^type: status\n[\s\S]*text: Hello from the garden\n$/)
  const typed = await cli(['post', 'link', 'Worth a read', '--root', root, '--url', 'https://example.org/', '--no-commit'])
  assert.is(typed.code, 0, typed.stderr)
  const link = await fs.readFile(path.join(root, typed.stdout.match(/wrote (\S+)/)![1]), 'utf8')
  assert.match(link, /type: link/)
  assert.match(link, /text: Worth a read/)
  const before = await fs.readdir(path.join(root, 'feed/2026/11'))
  const typo = await cli(['post', 'stauts', '--root', root, '--text', 'hi'])
  assert.is(typo.code, 1)
  assert.match(typo.stderr, /unknown post type 'stauts'/)
  const twice = await cli(['post', 'Hello again', '--text', 'Hello', '--root', root])
  assert.is(twice.code, 1)
  assert.match(twice.stderr, /given twice/)
  assert.equal(await fs.readdir(path.join(root, 'feed/2026/11')), before)
  for (const f of [file, typed.stdout.match(/wrote (\S+)/)![1]]) await fs.rm(path.join(root, f))
})

test('post infers the type from its flags, copies an image and fills in its hash', async () => {
  const img = path.join(root, 'cat.png')
  await fs.writeFile(img, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))
  const r = await cli(['post', '--root', root, '--image', img, '--alt', 'A cat', '--text', 'Cat', '--no-commit'])
  assert.is(r.code, 0, r.stderr)
  const written = r.stdout.match(/wrote (\S+)/)![1]
  const yaml = await fs.readFile(path.join(root, written), 'utf8')
  assert.match(yaml, /type: image/)
  assert.match(yaml, /mediaType: image\/png\n\s+size: 16\n\s+sha256: [0-9a-f]{64}\n\s+alt: A cat/)
  assert.ok((await simpleGit(root).status()).not_added.length > 0)
})

test('post reads the text from stdin and refuses an invalid post without writing anything', async () => {
  const ok = await cli(['post', '--root', root, '--no-commit'], { input: 'from a pipe' })
  assert.is(ok.code, 0, ok.stderr)
  const before = await fs.readdir(path.join(root, 'feed/2026/11')).catch(() => [])
  const bad = await cli(['post', 'location', '--root', root, '--lat', '95', '--lon', '10', '--text', 'x', '--date', '2026-11-24T10:00:00Z'])
  assert.is(bad.code, 1)
  assert.match(bad.stderr, /'lat' must be <= 90/)
  assert.not.match(bad.stderr, /at .*\.ts:\d+/) // never a stack trace
  assert.equal(await fs.readdir(path.join(root, 'feed/2026/11')).catch(() => []), before)
})

test('check prints path:line:col for each problem and exits 1', async () => {
  await fs.writeFile(path.join(root, 'feed/2026/11/bad.yaml'), 'type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\ncolour: red\n')
  await fs.writeFile(
    path.join(root, 'feed/2026/11/to.yaml'),
    'type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\nto: [public, nobody]\n',
  )
  const r = await cli(['check', '--root', root])
  assert.is(r.code, 1)
  assert.match(r.stdout, /feed\/2026\/11\/bad\.yaml:4:1  unknown field 'colour'/)
  assert.match(r.stdout, /feed\/2026\/11\/to\.yaml:4:14  'to' names 'nobody'/)
  await fs.rm(path.join(root, 'feed/2026/11/bad.yaml'))
  await fs.rm(path.join(root, 'feed/2026/11/to.yaml'))
  const ok = await cli(['check', '--root', root])
  assert.is(ok.code, 0, ok.stdout)
  assert.match(ok.stdout, /^ok: \d+ posts checked, no problems/)
})

test('every command answers --help', async () => {
  for (const c of ['init', 'post', 'check', 'build']) {
    const r = await cli([c, '--help'])
    assert.is(r.code, 0)
    assert.match(r.stdout, /Usage/)
  }
})

test('a word that only names sub-commands lists them (peerfeed device, peerfeed group --help)', async () => {
  const bare = await cli(['device'])
  assert.is(bare.code, 1)
  assert.match(bare.stdout, /peerfeed device add +Export your secret key/)
  assert.match(bare.stdout, /peerfeed device join +Take the secret key/)
  assert.not.match(bare.stderr, /Invalid command/)
  const help = await cli(['group', '--help'])
  assert.is(help.code, 0)
  for (const sub of ['add', 'remove', 'list']) assert.match(help.stdout, new RegExp(`peerfeed group ${sub} `))
  const unknown = await cli(['devise'])
  assert.is(unknown.code, 1)
  assert.match(unknown.stderr, /Invalid command: devise/)
})

test.run()
