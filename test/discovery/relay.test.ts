// A plain static host as a relay: `peerfeed publish` to a git branch, a checkout served by a static file server
// (not our API), and a friend syncing from it through their friend index — with every check sync makes.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import httpServer from 'http-server'
import { cli, tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('discovery: a static host as relay')
let alice: TestFeed, bob: TestFeed, dir: string, checkout: string, url: string
const closers: (() => Promise<void> | void)[] = []

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

async function inboxText(): Promise<string> {
  const d = path.join(bob.layout.inbox, 'alice')
  const files = (await fs.readdir(d, { recursive: true }).catch(() => [] as string[])).map(String).filter((f) => f.endsWith('.yaml'))
  return (await Promise.all(files.map((f) => fs.readFile(path.join(d, f), 'utf8')))).join('\n')
}

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  const carol = await makeFeed('carol')
  closers.push(() => carol.close())
  await alice.befriend(bob)
  await alice.befriend(carol)
  await bob.befriend(alice)
  await alice.post({ text: 'public words, relayed' })
  await alice.post({ text: 'for bob, through a host that cannot read it', to: ['bob'] })
  await alice.post({ text: 'for carol only', to: ['carol'] })
  await alice.build()

  dir = await tempDir('peerfeed-relay-')
  closers.push(() => fs.rm(dir, { recursive: true, force: true }))
  const remote = path.join(dir, 'pages.git')
  git(dir, 'init', '--quiet', '--bare', remote)
  const p = await cli(['publish', '--root', alice.layout.root, '--remote', remote, '--branch', 'pages'])
  assert.is(p.code, 0, p.stderr)
  checkout = path.join(dir, 'site')
  git(dir, 'clone', '--quiet', '--branch', 'pages', remote, checkout)

  const hs = httpServer.createServer({ root: checkout, showDir: 'false', cache: -1 })
  await new Promise<void>((r) => hs.listen(0, '127.0.0.1', r))
  closers.push(() => {
    hs.server.closeAllConnections()
    hs.close()
  })
  url = `http://127.0.0.1:${(hs.server.address() as AddressInfo).port}/`
})

test.after(async () => {
  for (const c of closers.reverse()) await c()
  await Promise.all([alice?.close(), bob?.close()])
})

test('a friend syncs public posts and the ones for them from a git checkout on a static server', async () => {
  const f = await cli(['follow', 'alice', url, '--root', bob.layout.root])
  assert.is(f.code, 0, f.stderr)
  const s = await cli(['sync', '--root', bob.layout.root, '--no-lan', '--no-dht'])
  assert.is(s.code, 0, s.stdout + s.stderr)
  assert.match(s.stdout, 'alice: 2 new, 0 updated, 0 deleted, 0 rejected')
  assert.match(s.stderr, 'no API there: reading our index on the static host')
  assert.not.match(s.stdout, /note:/)
  const text = await inboxText()
  assert.match(text, 'public words, relayed')
  assert.match(text, 'for bob, through a host that cannot read it')
  assert.not.match(text, 'for carol only')
})

test('the relay cannot alter a public post: the changed entry is rejected, the rest still arrives', async () => {
  await fs.rm(bob.layout.inbox, { recursive: true, force: true })
  await fs.rm(path.join(bob.layout.state, 'sync'), { recursive: true, force: true })
  const pages = (await fs.readdir(path.join(checkout, 'api/public'))).filter((f) => /^[^.]+\.json$/.test(f) && f !== 'index.json')
  assert.ok(pages.length > 0)
  for (const p of pages) {
    const file = path.join(checkout, 'api/public', p)
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('public words, relayed', 'words the host made up'))
  }
  const s = await cli(['sync', '--root', bob.layout.root, '--no-lan', '--no-dht'])
  assert.match(s.stdout, /alice: 1 new, 0 updated, 0 deleted, 1 rejected/)
  assert.match(s.stdout, /rejected .*manifest/i)
  const text = await inboxText()
  assert.not.match(text, 'words the host made up')
  assert.match(text, 'for bob, through a host that cannot read it')
})

test.run()
