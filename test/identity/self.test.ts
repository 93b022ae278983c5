import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ensureIdentity, loadSelf, loadConfig, saveConfig, passphraseFrom } from '../../src/identity/index.ts'
import { layout } from '../../src/paths.ts'
import { tempDir } from '../helpers/index.ts'
import { refused } from './fixtures.ts'

const self = suite('own identity')

self('creates keys/self.asc and a 0600 secret key that git never sees', async () => {
  const root = await tempDir()
  const l = layout(root)
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.org',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.org',
      },
    })
  git('init', '-q')
  await fs.writeFile(path.join(root, '.gitignore'), 'node_modules/\ndist/\n.peerfeed/\n*.secret.asc\n')
  const r = await ensureIdentity(l, { name: 'Ada', email: 'ada@example.org' })
  assert.ok(r.created)
  assert.match(r.fingerprint, /^[0-9a-f]{40}$/)
  assert.is((await fs.stat(l.selfSecretKey)).mode & 0o777, 0o600)
  git('add', '-A')
  git('commit', '-q', '-m', 'init')
  const tracked = git('ls-files').split('\n')
  assert.ok(tracked.includes('keys/self.asc'), tracked.join(','))
  assert.not.ok(
    tracked.some((f) => f.includes('secret')),
    tracked.join(','),
  )
  const cfg = await loadConfig(l)
  assert.is(cfg.name, 'Ada')
  assert.is(cfg.email, 'ada@example.org')
})

self('the secret key stays out of git even when .gitignore forgot .peerfeed/', async () => {
  const root = await tempDir()
  execFileSync('git', ['init', '-q'], { cwd: root })
  await ensureIdentity(layout(root), { name: 'Ada' })
  execFileSync('git', ['add', '-A'], { cwd: root })
  const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: root, encoding: 'utf8' })
  assert.not.match(staged, /secret/)
})

self('never replaces an identity; half an identity is an error naming the missing file', async () => {
  const l = layout(await tempDir())
  const first = await ensureIdentity(l, { name: 'Ada' })
  const again = await ensureIdentity(l, { name: 'Someone Else' })
  assert.equal(again, { created: false, fingerprint: first.fingerprint })
  await fs.rm(l.selfSecretKey)
  await refused(ensureIdentity(l, { name: 'Ada' }), 'HALF_IDENTITY', /not \.peerfeed\/self\.secret\.asc.*refusing/)
  const l2 = layout(await tempDir())
  await ensureIdentity(l2, { name: 'Bo' })
  await fs.rm(l2.selfPublicKey)
  await refused(ensureIdentity(l2, { name: 'Bo' }), 'HALF_IDENTITY', /not keys\/self\.asc/)
})

self('a passphrase protects the secret key; loadSelf needs it only when asked for the secret', async () => {
  const l = layout(await tempDir())
  const { fingerprint } = await ensureIdentity(l, { name: 'Ada', email: 'ada@example.org', passphrase: 's3cret' })
  assert.not.match(await fs.readFile(l.selfSecretKey, 'utf8'), /s3cret/)
  const pub = await loadSelf(l)
  assert.is(pub.fingerprint, fingerprint)
  assert.is(pub.secretKey, undefined)
  assert.is(pub.name, 'Ada')
  await refused(loadSelf(l, { requireSecret: true }), 'PASSPHRASE_NEEDED', /--passphrase-file|PEERFEED_PASSPHRASE/)
  await refused(loadSelf(l, { passphrase: 'nope', requireSecret: true }), 'BAD_PASSPHRASE')
  const full = await loadSelf(l, { passphrase: 's3cret', requireSecret: true })
  assert.is(full.secretKey?.fingerprint, fingerprint)
})

self('loadSelf on a folder without identity says to run init', async () => {
  await refused(loadSelf(layout(await tempDir())), 'NO_IDENTITY', /peerfeed init/)
})

self('passphraseFrom reads the first line of --passphrase-file, else PEERFEED_PASSPHRASE, never prompts off a TTY', async () => {
  const dir = await tempDir()
  const f = path.join(dir, 'pw')
  await fs.writeFile(f, 'from file\nsecond line\n')
  assert.is(await passphraseFrom({ 'passphrase-file': f }, { env: { PEERFEED_PASSPHRASE: 'env' } }), 'from file')
  assert.is(await passphraseFrom({}, { env: { PEERFEED_PASSPHRASE: 'env' } }), 'env')
  assert.is(await passphraseFrom({}, { env: {}, prompt: true, stdin: { isTTY: false } as never }), undefined)
  await refused(
    passphraseFrom({ 'passphrase-file': path.join(dir, 'missing') }, { env: {} }),
    'PASSPHRASE_FILE',
    /cannot read the passphrase file/,
  )
})

self('saveConfig patches keys and keeps unknown keys and comments', async () => {
  const l = layout(await tempDir())
  await fs.writeFile(l.config, '# my feed\nname: Ada\ntheme: dark # later setting\n')
  await saveConfig(l, { url: 'https://ada.example.org', name: 'Ada L.' })
  const src = await fs.readFile(l.config, 'utf8')
  assert.match(src, /# my feed/)
  assert.match(src, /theme: dark # later setting/)
  assert.equal(await loadConfig(l), { name: 'Ada L.', theme: 'dark', url: 'https://ada.example.org' })
  await fs.writeFile(l.config, 'name: [oops\n')
  await refused(loadConfig(l), 'BAD_CONFIG', /YAML syntax error/)
})

self.run()
