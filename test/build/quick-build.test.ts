// "Nothing changed" from the input snapshot (src/build/input-snapshot.ts): every kind of change is still seen —
// a post edited in the same second with the same size (racy or not), a deleted post, a new folder, a group, a template,
// a merge in progress that changed no input, a friend's key expiring while no file changed.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rejects } from 'node:assert/strict'
import { buildFeed } from '../../src/build/build.ts'
import { unchangedResult } from '../../src/build/quick-build.ts'
import { generateIdentity, readPublicKey } from '../../src/crypto/index.ts'
import { liveBuild } from '../../src/build/state.ts'
import type { BuildManifest } from '../../src/protocol/build-manifest.ts'
import { allFiles, writeTestPost } from '../helpers/feeds.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('quick build')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** past the racy window (3 s): files are then trusted by their stats alone */
const settle = () => sleep(3200)

async function postFile(f: TestFeed, stem: string) {
  return path.join(f.layout.root, (await allFiles(f.layout.feed)).find((p) => p.endsWith(`${stem}.yaml`))!.replace(/^/, 'feed/'))
}
const page = (f: TestFeed, stem: string) => fs.readFile(path.join(f.layout.dist, 'posts', stem, 'index.html'), 'utf8')

/** The file's mtime set to a whole second, which utimes can give back exactly. */
const pin = (file: string) => fs.utimes(file, 1_800_000_000, 1_800_000_000)

/** The same number of bytes, the same (pinned) mtime as before: only the ctime (or the bytes) can tell. */
async function sameSizeEdit(file: string, from: string, to: string) {
  assert.is(from.length, to.length)
  const st = await fs.stat(file)
  assert.is(st.mtimeMs, 1_800_000_000_000)
  const text = await fs.readFile(file, 'utf8')
  assert.ok(text.includes(from))
  await fs.writeFile(file, text.replace(from, to))
  await pin(file)
  assert.is((await fs.stat(file)).mtimeMs, st.mtimeMs)
  assert.is((await fs.stat(file)).size, st.size)
}

test('nothing changed is answered from the snapshot, without loading the feed', async () => {
  const f = await makeFeed('quinn')
  await writeTestPost(f, { text: 'one' })
  assert.is((await buildFeed(f.layout)).changed, true)
  assert.ok(await unchangedResult(f.layout), 'the snapshot proves nothing changed')
  const again = await buildFeed(f.layout)
  assert.is(again.changed, false)
  assert.is(again.stats.posts, 1)
  const out = await cli(['build'], { cwd: f.layout.root })
  assert.is(out.code, 0, out.stderr)
  assert.match(out.stdout, /nothing changed \(1 posts\)/)
})

test('a post edited in the same second with the same size is seen (settled and racy)', async () => {
  const f = await makeFeed('rae')
  const stem = await writeTestPost(f, { text: 'alpha beta' })
  const file = await postFile(f, stem)
  await pin(file)
  await settle()
  await buildFeed(f.layout)
  await sameSizeEdit(file, 'alpha beta', 'gamma zeta')
  assert.is(await unchangedResult(f.layout), undefined)
  const r = await buildFeed(f.layout)
  assert.is(r.changed, true)
  assert.match(await page(f, stem), 'gamma zeta')
  // again at once: the file is racy now, and is compared by its bytes
  await sameSizeEdit(file, 'gamma zeta', 'delta iota')
  assert.is(await unchangedResult(f.layout), undefined)
  assert.is((await buildFeed(f.layout)).changed, true)
  assert.match(await page(f, stem), 'delta iota')
  assert.is((await buildFeed(f.layout)).changed, false)
})

test('a deleted post disappears; a new folder, a group and a template are seen', async () => {
  const f = await makeFeed('sam')
  const friend = await makeFeed('tia')
  await f.befriend(friend)
  const gone = await writeTestPost(f, { text: 'soon gone' })
  await writeTestPost(f, { text: 'stays' })
  await buildFeed(f.layout)
  await fs.rm(await postFile(f, gone))
  assert.is(await unchangedResult(f.layout), undefined)
  assert.is((await buildFeed(f.layout)).changed, true)
  await rejects(page(f, gone), /ENOENT/)

  const added = await writeTestPost(f, { text: 'in a new month', published: '2031-05-01T00:00:00Z' })
  assert.is(await unchangedResult(f.layout), undefined)
  assert.is((await buildFeed(f.layout)).changed, true)
  assert.match(await page(f, added), 'in a new month')

  assert.is((await buildFeed(f.layout)).changed, false)
  await f.group('close', ['tia'])
  const r = await buildFeed(f.layout)
  assert.is(r.changed, true)
  assert.ok(r.manifest.audiences.some((a) => a.kind === 'group'))

  await fs.mkdir(path.join(f.layout.templates, 'extra'), { recursive: true })
  await fs.writeFile(path.join(f.layout.templates, 'extra', 'note.txt'), 'x')
  assert.is(await unchangedResult(f.layout), undefined)
})

test('a merge in progress is refused even when it changed no input', async () => {
  const f = await makeFeed('uma')
  await writeTestPost(f, { text: 'one' })
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=U', '-c', 'user.email=u@example.org', ...args], {
      cwd: f.layout.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  const main = git('rev-parse', '--abbrev-ref', 'HEAD').trim()
  git('checkout', '-q', '-b', 'side')
  await fs.writeFile(path.join(f.layout.root, 'notes.txt'), 'not read by the build\n')
  git('add', 'notes.txt')
  git('commit', '-q', '-m', 'notes')
  git('checkout', '-q', main)
  await buildFeed(f.layout)
  assert.ok(await unchangedResult(f.layout))
  git('merge', '--no-commit', '--no-ff', 'side')
  assert.is(await unchangedResult(f.layout), undefined)
  await rejects(buildFeed(f.layout), /merge is not finished/)
})

test("a friend's key expiring ends the snapshot though no file changed", async () => {
  const f = await makeFeed('vic')
  const soon = await generateIdentity({ name: 'Wes', expiresIn: 20 })
  const expiresAt = (await readPublicKey(soon.publicArmored)).expiresAt!
  await fs.writeFile(path.join(f.layout.keys, 'wes.asc'), soon.publicArmored)
  await writeTestPost(f, { text: 'for wes', to: ['wes'] })
  const first = await buildFeed(f.layout)
  assert.ok(Date.now() < expiresAt, 'the first build ended before the key expired (a very slow machine fails here)')
  assert.ok(
    first.manifest.audiences.some((a) => a.kind === 'friend'),
    'wes is an audience while his key is valid',
  )
  assert.ok(await unchangedResult(f.layout))
  await sleep(expiresAt - Date.now() + 200)
  assert.is(await unchangedResult(f.layout), undefined)
  // a fresh process, as a person runs it (one process keeps a parsed key for up to a minute)
  const out = await cli(['build'], { cwd: f.layout.root })
  assert.is(out.code, 0, out.stderr)
  assert.match(out.stdout, /^built /)
  const manifest = JSON.parse(await fs.readFile(liveBuild(f.layout).manifest, 'utf8')) as BuildManifest
  assert.not.ok(
    manifest.audiences.some((a) => a.kind === 'friend'),
    'an expired key gets nothing new',
  )
})

test.run()
