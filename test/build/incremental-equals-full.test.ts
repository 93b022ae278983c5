// An incremental build gives what `build --full` gives for the same inputs: after posts are added, edited and deleted
// (public, to a friend, to a group), a group, a key and a template change, every file of dist/ and the manifest the
// server reads are compared with a full build of a copy of the feed. Files that are the same bytes must be; OpenPGP
// messages are encrypted afresh by a full build (new session keys), so those are compared by what their readers decrypt,
// and detached signatures (made at another second) by the bytes they sign.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import { liveStateDir, treeStateFiles } from '../../src/build/state.ts'
import { decryptAndVerify, verifyDetached } from '../../src/crypto/index.ts'
import { addToGroup, removeFromGroup } from '../../src/identity/index.ts'
import { layout } from '../../src/paths.ts'
import { allFiles } from '../helpers/feeds.ts'
import { tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const eq = suite('incremental build = full build')
let alice: TestFeed
let readers: TestFeed[]
let clock = Date.parse('2026-11-25T10:00:00Z')
// one fixed instant per build: both builds write the same `builtAt` and hand out the same cursors
const now = () => clock

eq.before(async () => {
  alice = await makeFeed('alice')
  readers = await Promise.all(['bob', 'carol', 'dave', 'erin'].map(makeFeed))
  for (const f of readers.slice(0, 3)) await alice.befriend(f)
  await alice.group('family', ['bob', 'carol'])
})

/** What a reader of an OpenPGP message in dist/ sees: the plain text, by the first friend's key that opens it. */
async function opened(bytes: Buffer): Promise<string> {
  for (const r of readers) {
    try {
      const d = await decryptAndVerify({ message: bytes.toString('utf8'), key: r.secretKey, signers: [alice.publicKey] })
      // a friend's index says when it was written: an incremental build keeps an index whose pages did not change
      // (it is not encrypted again), a full build writes every one anew
      return `${r.name}:${d.text().replace(/"generated":"[^"]*"/, '"generated":"…"')}`
    } catch {}
  }
  throw new Error('no reader opens it')
}

async function sameFile(rel: string, a: Buffer, b: Buffer, distA: string, distB: string): Promise<string | undefined> {
  if (a.equals(b)) return undefined
  const text = a.toString('utf8')
  if (text.startsWith('-----BEGIN PGP MESSAGE-----')) {
    const [x, y] = await Promise.all([opened(a), opened(b)])
    return x === y ? undefined : `${rel}: decrypts to different pages:\n${x}\n${y}`
  }
  if (text.startsWith('-----BEGIN PGP SIGNATURE-----') && /\.(sig|asc)$/.test(rel)) {
    // a detached signature made at another second: both must sign the same bytes
    const data = rel.slice(0, -'.asc'.length)
    const [da, db] = await Promise.all([fs.readFile(path.join(distA, data)), fs.readFile(path.join(distB, data))])
    if (!da.equals(db)) return `${rel}: signs different data`
    for (const sig of [text, b.toString('utf8')])
      await verifyDetached({ data: new Uint8Array(da), signature: sig, signers: [alice.publicKey] })
    return undefined
  }
  return `${rel}: differs`
}

/** Builds incrementally, copies the feed, builds the copy with --full, and compares both trees and manifests. */
async function buildAndCompare(what: string) {
  clock += 60_000
  const inc = await buildFeed(alice.layout, { now })
  const copy = path.join(await tempDir('peerfeed-full-copy-'), 'feed')
  execFileSync('cp', ['-a', alice.layout.root, copy])
  const full = layout(copy)
  await buildFeed(full, { now, full: true })
  const distA = alice.layout.dist
  const distB = full.dist
  const [filesA, filesB] = [(await allFiles(distA)).sort(), (await allFiles(distB)).sort()]
  assert.equal(filesA, filesB, `${what}: the same files in dist/`)
  const problems: string[] = []
  for (const rel of filesA) {
    const [a, b] = await Promise.all([fs.readFile(path.join(distA, rel)), fs.readFile(path.join(distB, rel))])
    const p = await sameFile(rel, a, b, distA, distB)
    if (p) problems.push(p)
  }
  assert.equal(problems, [], `${what}: files differ`)
  // a build that found nothing changed leaves the manifest of the build before it, with that build's time
  const manifest = async (l: ReturnType<typeof layout>) =>
    (await fs.readFile(treeStateFiles(liveStateDir(l)!).manifest, 'utf8')).replace(inc.changed ? /^$/ : /"builtAt":"[^"]*"/, '')
  assert.is(await manifest(alice.layout), await manifest(full), `${what}: the server's manifest`)
  await fs.rm(path.dirname(copy), { recursive: true, force: true })
  return inc
}

const write = async (stem: string, data: Record<string, unknown>) => {
  const published = (data.published as string) ?? '2026-11-24T09:00:00Z'
  const file = path.join(alice.layout.feed, published.slice(0, 4), published.slice(5, 7), `${stem}.yaml`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  const lines = Object.entries({ type: 'status', published, ...data }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
  await fs.writeFile(file, `${lines.join('\n')}\n`)
  return file
}

eq('posts added, edited and deleted; groups, keys and templates changed', async () => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 30; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const to = i % 5 === 1 ? { to: ['bob'] } : i % 5 === 2 ? { to: ['family'] } : {}
    files[`p${i}`] = await write(`2026-10-${day}-p${i}`, {
      published: `2026-10-${day}T08:00:00Z`,
      text: `post ${i}`,
      tags: [`t${i % 3}`],
      ...to,
    })
  }
  await buildAndCompare('first build')

  await write('2026-11-24-new-public', { published: '2026-11-24T09:00:00Z', text: 'a new public post', tags: ['t0'] })
  const r = await buildAndCompare('one public post added')
  assert.ok(r.changed)
  await write('2026-11-24-new-bob', { published: '2026-11-24T09:01:00Z', text: 'a new post for bob', to: ['bob'] })
  await buildAndCompare('one post to a friend added')
  await write('2026-11-24-new-family', { published: '2026-11-24T09:02:00Z', text: 'a new post for the family', to: ['family'] })
  await buildAndCompare('one post to a group added')

  // an edit of the same size in the same second as the build before it (the racy case), and an edit that moves a post
  await buildAndCompare('nothing changed')
  await fs.writeFile(files.p3, (await fs.readFile(files.p3, 'utf8')).replace('post 3', 'post X'))
  await buildAndCompare('a public post edited, same size, same second')
  await fs.writeFile(files.p6, (await fs.readFile(files.p6, 'utf8')).replace('post 6', 'post six, now longer').replace('"t0"', '"t2"'))
  await buildAndCompare('a public post edited: text and tag')
  await fs.writeFile(files.p1, (await fs.readFile(files.p1, 'utf8')).replace('["bob"]', '["family"]'))
  await buildAndCompare('a private post moved from a friend to a group')
  await fs.writeFile(files.p2, (await fs.readFile(files.p2, 'utf8')).replace(/^to: .*\n/m, ''))
  await buildAndCompare('a group post made public')

  // a private post with an attachment: its page and its blob; a blob removed from dist/ by hand is written again
  const png = path.join(await tempDir('peerfeed-png-'), 'us.png')
  await fs.writeFile(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))
  const before = new Set(await allFiles(alice.layout.dist))
  await alice.post(
    { type: 'image', text: 'us, for bob', to: ['bob'], published: '2026-11-24T09:03:00Z' },
    { files: [{ source: png, alt: 'us' }] },
  )
  await buildAndCompare('a private post with an attachment added')
  const blobs = (await allFiles(alice.layout.dist)).filter((f) => !before.has(f) && f.startsWith('p/'))
  assert.is(blobs.length, 1, `the attachment's blob: ${blobs.join(', ')}`)
  await write('2026-11-24-another-public', { published: '2026-11-24T09:04:00Z', text: 'another public post' })
  const pages = [...before].filter((f) => f.startsWith('p/')).sort()
  for (const f of [...blobs, pages[0], pages[pages.length - 1]]) await fs.rm(path.join(alice.layout.dist, f))
  await buildAndCompare('pages and blobs removed from dist/ by hand')

  await fs.rm(files.p8)
  await buildAndCompare('a public post deleted')
  await fs.rm(files.p11)
  await fs.rm(files.p12)
  await buildAndCompare('a friend post and a group post deleted')

  await addToGroup(alice.layout, 'family', ['dave'])
  await buildAndCompare('a member added to a group')
  await removeFromGroup(alice.layout, 'family', ['bob'])
  await buildAndCompare('a member removed from a group')
  await alice.befriend(readers[3])
  await buildAndCompare('a friend key added')
  await removeFromGroup(alice.layout, 'family', ['carol'])
  await fs.rm(path.join(alice.layout.keys, 'carol.asc'))
  await buildAndCompare('a friend key removed')

  const own = path.join(alice.layout.templates, 'site')
  await fs.cp(path.join(process.cwd(), 'templates', 'site'), own, { recursive: true })
  await buildAndCompare('the shipped templates copied into the feed')
  const layoutFile = (await allFiles(own)).find((f) => f.endsWith('.njk'))!
  await fs.appendFile(path.join(own, layoutFile), '\n{# changed #}\n')
  await buildAndCompare('a template changed')
})

eq.run()
