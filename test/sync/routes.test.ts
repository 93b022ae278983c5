// Sync over every route: the API with attachments, a plain static host (no API), and peers who have not added us.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import type net from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('sync routes')
let alice: TestFeed, bob: TestFeed, carol: TestFeed
let apiUrl: string, staticUrl: string
const closers: (() => Promise<void>)[] = []
const photo = crypto.randomBytes(3000)
const secretPhoto = crypto.randomBytes(2000)

test.before(async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const dir = await tempDir('peerfeed-photos-')
  closers.push(() => fs.rm(dir, { recursive: true, force: true }))
  await fs.writeFile(path.join(dir, 'garden.jpg'), photo)
  await fs.writeFile(path.join(dir, 'secret.png'), secretPhoto)
  await alice.post({ type: 'image', text: 'the garden' }, { files: [{ source: path.join(dir, 'garden.jpg'), alt: 'a snowy garden' }] })
  await alice.post({ type: 'image', text: 'just us', to: ['bob'] }, { files: [{ source: path.join(dir, 'secret.png'), alt: 'a secret' }] })
  await alice.post({ text: 'status for bob', to: ['bob'] })
  await alice.build()
  apiUrl = (await alice.serve()).url
  // The same dist/ on a plain static file server: no API at all.
  const require = createRequire(import.meta.url)
  const { createServer } = require('http-server') as {
    createServer(o: object): { server: net.Server; listen(p: number, h: string, cb: () => void): void; close(): void }
  }
  const hs = createServer({ root: alice.layout.dist, showDir: 'false', cache: -1 })
  await new Promise<void>((r) => hs.listen(0, '127.0.0.1', r))
  staticUrl = `http://127.0.0.1:${(hs.server.address() as net.AddressInfo).port}/`
  closers.push(async () => hs.close())
})
test.after(async () => {
  for (const c of closers) await c()
  await Promise.all([alice?.close(), bob?.close(), carol?.close()])
})

async function inboxFile(feed: TestFeed, friend: string, suffix: string) {
  const files = (await fs.readdir(path.join(feed.layout.inbox, friend), { recursive: true })).map(String)
  const f = files.find((x) => x.endsWith(suffix))
  return f ? fs.readFile(path.join(feed.layout.inbox, friend, f)) : undefined
}

test('through the API, public and private attachments arrive beside their posts', async () => {
  await bob.follow('alice', apiUrl)
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is(s.new, 3)
  assert.equal(await inboxFile(bob, 'alice', '.jpg'), photo)
  assert.equal(await inboxFile(bob, 'alice', '.png'), secretPhoto)
})

test('from a plain static host, the friend index gives the same posts', async () => {
  await fs.rm(bob.layout.inbox, { recursive: true })
  await fs.rm(path.join(bob.layout.state, 'sync'), { recursive: true })
  await bob.follow('alice', staticUrl)
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is(s.friends[0].access, 'private+public')
  assert.is(s.new, 3)
  assert.equal(await inboxFile(bob, 'alice', '.png'), secretPhoto)
  const again = await bob.sync()
  assert.is(again.new + again.updated + again.deleted, 0)
})

test('a friend who has not added us yields their public posts only', async () => {
  await carol.post({ text: 'carol in public' })
  await carol.befriend(alice)
  await carol.post({ text: 'carol private, for alice', to: ['alice'] })
  await carol.build()
  const url = (await carol.serve()).url
  await bob.befriend(carol)
  await bob.follow('carol', url)
  const s = await bob.sync({ names: ['carol'] })
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is(s.friends[0].access, 'public')
  assert.match(s.friends[0].notes.join('\n'), /has not added your key/)
  assert.is((await bob.inbox('carol')).length, 1)
})

test('following a stranger by URL fetches their key and their public posts', async () => {
  const dave = await makeFeed('dave')
  closers.push(() => dave.close())
  await dave.post({ text: 'dave says hi' })
  await dave.build()
  const url = (await dave.serve()).url
  await bob.follow('dave', url)
  const s = await bob.sync({ names: ['dave'] })
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.is(s.friends[0].access, 'public')
  assert.is((await bob.inbox('dave')).length, 1)
})

test.run()
