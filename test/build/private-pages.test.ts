// The private side of the build: pages per friend and group, readable by members only, incremental, atomic.
import fs from 'node:fs/promises'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { rejects } from 'node:assert/strict'
import { buildFeed } from '../../src/build/build.ts'
import { friendIndexName, friendNameKey, privatePath } from '../../src/build/page-names.ts'
import { decryptAndVerify } from '../../src/crypto/index.ts'
import { block, removeFromGroup } from '../../src/identity/index.ts'
import type { FriendIndex, PrivatePage } from '../../src/protocol/wire.ts'
import { allFiles, writeTestPost } from '../helpers/feeds.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

async function readIndex(owner: TestFeed, reader: TestFeed): Promise<FriendIndex> {
  const name = friendIndexName(friendNameKey(reader.secretKey, owner.publicKey))
  const msg = await fs.readFile(path.join(owner.layout.dist, privatePath(name)), 'utf8')
  const d = await decryptAndVerify({ message: msg, key: reader.secretKey, signers: [owner.publicKey] })
  return JSON.parse(d.text())
}

async function readPage(owner: TestFeed, reader: TestFeed, name: string): Promise<PrivatePage> {
  const msg = await fs.readFile(path.join(owner.layout.dist, privatePath(name)), 'utf8')
  const d = await decryptAndVerify({ message: msg, key: reader.secretKey, signers: [owner.publicKey] })
  return JSON.parse(d.text())
}

/** Every post text a reader can find through their index. */
async function textsFor(owner: TestFeed, reader: TestFeed): Promise<string[]> {
  const idx = await readIndex(owner, reader)
  const texts: string[] = []
  for (const ref of idx.pages) for (const e of (await readPage(owner, reader, ref.name)).entries) if (e.post?.text) texts.push(e.post.text)
  return texts.sort()
}

let alice: TestFeed, bob: TestFeed, carol: TestFeed, dave: TestFeed

test.before(async () => {
  ;[alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map(makeFeed))
  for (const f of [bob, carol, dave]) await alice.befriend(f)
  await alice.group('family', ['bob', 'carol'])
  await writeTestPost(alice, { text: 'hello world, public' })
  await writeTestPost(alice, { text: 'secret family dinner', to: ['family'] })
  await writeTestPost(alice, { text: 'just for bob', to: ['bob'] })
  await writeTestPost(alice, { text: 'just for dave', to: ['dave'] })
})

test('each reader finds exactly the posts addressed to them or their groups', async () => {
  await buildFeed(alice.layout)
  assert.equal(await textsFor(alice, bob), ['just for bob', 'secret family dinner'])
  assert.equal(await textsFor(alice, carol), ['secret family dinner'])
  assert.equal(await textsFor(alice, dave), ['just for dave'])
})

test('no file in dist/ holds a private post in clear, nor any secret key', async () => {
  for (const f of await allFiles(alice.layout.dist)) {
    const text = await fs.readFile(path.join(alice.layout.dist, f), 'latin1')
    for (const secret of ['secret family dinner', 'just for bob', 'just for dave'])
      assert.not.ok(text.includes(secret), `${f} contains "${secret}"`)
    assert.not.ok(text.includes('PRIVATE KEY BLOCK'), `${f} holds a secret key`)
  }
})

test('after build and `git add -A`, no file git tracks holds secret key material', async () => {
  const git = simpleGit(alice.layout.root)
  await git.add('-A')
  const secretBody = (await fs.readFile(alice.layout.selfSecretKey, 'utf8')).split('\n').filter((l) => l.length > 40)[1]
  const tracked = (await git.raw(['ls-files', '--cached'])).split('\n').filter(Boolean)
  assert.ok(tracked.includes('keys/self.asc'))
  for (const f of tracked) {
    const text = await fs.readFile(path.join(alice.layout.root, f), 'latin1')
    assert.not.ok(text.includes('PRIVATE KEY BLOCK') || text.includes(secretBody), `${f} holds secret key material`)
  }
})

test('pages never reveal who else a post was addressed to', async () => {
  const idx = await readIndex(alice, bob)
  for (const ref of idx.pages) for (const e of (await readPage(alice, bob, ref.name)).entries) assert.is(e.post?.to, undefined)
})

test("a non-member cannot decrypt another audience's page", async () => {
  const bobIdx = await readIndex(alice, bob)
  const bobOnly = bobIdx.pages.find((p) => p.audience === 'you')!
  await rejects(
    () => readPage(alice, dave, bobOnly.name),
    (e: { code?: string }) => e.code === 'NOT_FOR_ME',
  )
  // and a stranger cannot even find an index: dave's index name is not bob's
  assert.is.not(
    friendIndexName(friendNameKey(dave.secretKey, alice.publicKey)),
    friendIndexName(friendNameKey(bob.secretKey, alice.publicKey)),
  )
})

test("adding one post re-encrypts only the newest page of its audience and the members' indexes", async () => {
  const before = await readIndex(alice, bob)
  const bobPage = before.pages.find((p) => p.audience === 'you')!
  const inode = (await fs.stat(path.join(alice.layout.dist, privatePath(bobPage.name)))).ino
  await writeTestPost(alice, { text: 'more family news', to: ['family'] })
  const r = await buildFeed(alice.layout)
  assert.is(r.stats.newVersions, 1)
  assert.is(r.stats.pagesEncrypted, 3) // the family page, bob's and carol's index
  assert.is((await fs.stat(path.join(alice.layout.dist, privatePath(bobPage.name)))).ino, inode)
  assert.ok((await textsFor(alice, carol)).includes('more family news'))
})

test('a backdated post still gets a cursor after everything peers have seen', async () => {
  const last = BigInt((await buildFeed(alice.layout)).manifest.last!)
  await writeTestPost(alice, { text: 'written today, dated 2001', to: ['bob'], published: '2001-01-01T00:00:00Z' })
  const r = await buildFeed(alice.layout)
  const page = (await readIndex(alice, bob)).pages.find((p) => p.audience === 'you')!
  const entry = (await readPage(alice, bob, page.name)).entries.find((e) => e.post?.text === 'written today, dated 2001')!
  assert.ok(BigInt(entry.cursor) > last)
  assert.is(r.manifest.last, entry.cursor)
})

test('a removed member cannot decrypt any group page built after the removal', async () => {
  const carolBefore = await readIndex(alice, carol)
  await removeFromGroup(alice.layout, 'family', ['carol'])
  await buildFeed(alice.layout)
  const family = (await readIndex(alice, bob)).pages.filter((p) => p.audience === 'family')
  assert.ok(family.length > 0)
  for (const p of family) {
    await readPage(alice, bob, p.name)
    await rejects(() => readPage(alice, carol, p.name))
  }
  // carol's old page names are gone from dist/ too
  for (const p of carolBefore.pages) await rejects(() => fs.access(path.join(alice.layout.dist, privatePath(p.name))))
  assert.equal(await textsFor(alice, carol), [])
})

test('edits and deletions reach the pages as new versions and tombstones', async () => {
  const stem = await writeTestPost(alice, { text: 'first draft', to: ['bob'] })
  await buildFeed(alice.layout)
  const file = (await allFiles(alice.layout.feed)).find((f) => f.includes(stem))!
  const abs = path.join(alice.layout.feed, file)
  await fs.writeFile(abs, (await fs.readFile(abs, 'utf8')).replace('first draft', 'second draft'))
  await buildFeed(alice.layout)
  assert.ok((await textsFor(alice, bob)).includes('second draft'))
  assert.not.ok((await textsFor(alice, bob)).includes('first draft'))
  await fs.rm(abs)
  await buildFeed(alice.layout)
  const pages = (await readIndex(alice, bob)).pages
  const entries = (await Promise.all(pages.map((p) => readPage(alice, bob, p.name)))).flatMap((p) => p.entries)
  const mine = entries.filter((e) => e.id.endsWith(`/${stem}`))
  assert.equal(
    mine.map((e) => e.deleted),
    [true],
  )
})

test('a blocked friend gets no pages and no index', async () => {
  await block(alice.layout, 'dave')
  const r = await buildFeed(alice.layout)
  assert.not.ok(r.manifest.audiences.some((a) => a.members.includes(dave.fingerprint)))
  await rejects(() => readIndex(alice, dave))
})

test('a build with a check error leaves dist/ exactly as it was', async () => {
  const target = await fs.readlink(alice.layout.dist)
  const bad = path.join(alice.layout.feed, 'broken.yaml')
  await fs.writeFile(bad, 'type: status\npublished: 2026-13-01T00:00:00Z\ntext: x\n')
  await rejects(
    () => buildFeed(alice.layout),
    (e: Error) => /broken\.yaml:2:12/.test(e.message),
  )
  assert.is(await fs.readlink(alice.layout.dist), target)
  await fs.rm(bad)
})

test.run()
