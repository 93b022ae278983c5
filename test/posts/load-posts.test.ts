// loadPosts: real files in a temp feed; attachments, duplicate ids and the parse cache.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { layout } from '../../src/paths.ts'
import { cacheVersion, loadPosts } from '../../src/posts/load-posts.ts'
import { PostCacheWriter, readRows, type Row } from '../../src/posts/post-cache.ts'
import { tempDir } from '../helpers/index.ts'

const FPR = 'ab'.repeat(20)

async function feed(files: Record<string, string | Buffer>) {
  const root = await tempDir()
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(root, 'feed', name)
    await fs.mkdir(path.dirname(p), { recursive: true })
    await fs.writeFile(p, body)
  }
  return layout(root)
}

const status = (text: string, published = '2026-11-24T09:30:00Z') => `type: status\npublished: ${published}\ntext: ${text}\n`

test('gives each post an id of fingerprint and stem, sorted by time', async () => {
  const l = await feed({
    '2026/11/b.yaml': status('later', '2026-11-24T10:00:00Z'),
    '2026/11/a.yaml': status('earlier', '2026-11-24T09:00:00Z'),
  })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.equal(r.problems, [])
  assert.equal(
    r.posts.map((p) => p.id),
    [`${FPR}/a`, `${FPR}/b`],
  )
  assert.is(r.posts[0].file, 'feed/2026/11/a.yaml')
  assert.match(r.posts[0].hash, /^[0-9a-f]{64}$/)
})

test('a bad post is reported and does not stop the others from loading', async () => {
  const l = await feed({ '2026/11/good.yaml': status('fine'), '2026/11/bad.yaml': 'type: status\npublished: nope\ntext: x\n' })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.equal(
    r.posts.map((p) => p.stem),
    ['good'],
  )
  assert.is(r.problems.length, 1)
  assert.equal([r.problems[0].file, r.problems[0].line], ['feed/2026/11/bad.yaml', 2])
})

test('reports the same file name in two folders as a duplicate id', async () => {
  const l = await feed({ '2026/10/same.yaml': status('one'), '2026/11/same.yaml': status('two') })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.is(r.problems.length, 1)
  assert.match(r.problems[0].message, /duplicate post id 'same': feed\/2026\/10\/same.yaml has the same file name/)
})

test('reports a missing attachment and a hash mismatch, naming the file', async () => {
  const img = (sha: string) =>
    `type: image\npublished: 2026-11-24T09:30:00Z\nattachments:\n  - path: pic.png\n    alt: a pic\n    sha256: ${sha}\n`
  const l = await feed({ '2026/11/missing.yaml': img('ab'.repeat(32)) })
  let r = await loadPosts(l, { fingerprint: FPR, cacheFile: false })
  assert.match(r.problems[0].message, /attachments\[0\]: file 'pic.png' not found beside the post/)
  assert.equal([r.problems[0].file, r.problems[0].line], ['feed/2026/11/missing.yaml', 4])
  await fs.writeFile(path.join(l.feed, '2026/11/pic.png'), 'not the right bytes')
  r = await loadPosts(l, { fingerprint: FPR, cacheFile: false })
  assert.match(r.problems[0].message, /sha256 of 'pic.png' does not match/)
  assert.is(r.problems[0].line, 6)
  assert.is(r.posts.length, 0)
})

test('warns about .yml files instead of silently ignoring them', async () => {
  const l = await feed({ '2026/11/oops.yml': status('x') })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.match(r.problems[0].message, /must end in .yaml/)
})

test('the cache answers unchanged files and notices edits', async () => {
  const l = await feed({ '2026/11/a.yaml': status('one'), '2026/11/b.yaml': status('two') })
  const first = await loadPosts(l, { fingerprint: FPR })
  assert.is(first.stats.cached, 0)
  const second = await loadPosts(l, { fingerprint: FPR })
  assert.is(second.stats.cached, 2)
  assert.equal(second.posts, first.posts)
  await fs.writeFile(path.join(l.feed, '2026/11/b.yaml'), status('two, edited at length'))
  const third = await loadPosts(l, { fingerprint: FPR })
  assert.is(third.stats.cached, 1)
  assert.is(third.posts[1].data.text, 'two, edited at length')
})

const cacheOf = (l: { state: string }) => path.join(l.state, 'cache', 'posts.cache')

/** Rewrites the cache file: `edit` may change the header's time, a row, or a post's data (as an object). */
async function editCache(
  l: { state: string },
  edit: (c: { checkedAt: number; rows: Row[] }, data: (Record<string, unknown> | null)[]) => void,
) {
  const index = readRows(cacheOf(l), cacheVersion())!
  const data = index.data.map((b) => (b === null ? null : JSON.parse(b.toString())))
  edit(index, data)
  const w = new PostCacheWriter()
  index.rows.forEach((r, i) => w.add(r, data[i] && JSON.stringify(data[i])))
  await fs.writeFile(cacheOf(l), w.bytes(cacheVersion(), index.checkedAt))
}

/** As if the cache were written a minute from now: every row is then past the racy window and trusted on its stat. */
const ageCache = (l: { state: string }) =>
  editCache(l, (c) => {
    c.checkedAt = Date.now() + 60_000
  })

test('the cache sees an edit of the same size even when the old modification time is put back', async () => {
  const l = await feed({ '2026/11/a.yaml': status('first') })
  const file = path.join(l.feed, '2026/11/a.yaml')
  const ROUND = 1_790_000_000 // whole seconds: utimes can put these back exactly
  await fs.utimes(file, ROUND, ROUND)
  await loadPosts(l, { fingerprint: FPR })
  await ageCache(l)
  await fs.writeFile(file, status('fresh'))
  await fs.utimes(file, ROUND, ROUND)
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.is(r.posts[0].data.text, 'fresh')
})

test('the cache sees a file replaced by rename with the same size and times', async () => {
  const l = await feed({ '2026/11/a.yaml': status('first') })
  const file = path.join(l.feed, '2026/11/a.yaml')
  const ROUND = 1_790_000_000
  await fs.utimes(file, ROUND, ROUND)
  await loadPosts(l, { fingerprint: FPR })
  await ageCache(l)
  await fs.writeFile(`${file}.tmp`, status('other'))
  await fs.utimes(`${file}.tmp`, ROUND, ROUND)
  await fs.rename(`${file}.tmp`, file)
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.is(r.posts[0].data.text, 'other')
})

test('a row whose file is as new as the cache is re-read before it is trusted (same second, same size, same times)', async () => {
  const l = await feed({ '2026/11/a.yaml': status('old one') })
  await loadPosts(l, { fingerprint: FPR })
  // what an edit within the file system's timestamp granularity leaves: the cache's row holds other bytes than the
  // file, with the very same size, times and inode
  const file = path.join(l.feed, '2026/11/a.yaml')
  await editCache(l, (c, data) => {
    c.rows[0][5] = 'f'.repeat(64)
    data[0]!.text = 'stale'
  })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.is(r.posts[0].data.text, 'old one')
  assert.match(r.posts[0].hash, /^[0-9a-f]{64}$/)
  assert.is.not(r.posts[0].hash, 'f'.repeat(64))
  // the shortcut itself: once the file is clearly older than the cache, its row answers without reading the file
  const ctime = (await fs.stat(file)).ctimeMs
  await editCache(l, (c, data) => {
    data[0]!.text = 'from the cache'
    c.checkedAt = ctime + 60_000
  })
  const trusted = await loadPosts(l, { fingerprint: FPR })
  assert.is(trusted.stats.cached, 1)
  assert.is(trusted.posts[0].data.text, 'from the cache')
})

test('the cache sees an attachment changed with the same size', async () => {
  const png = Buffer.from('first image bytes')
  const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
  const post = `type: image\npublished: 2026-11-24T09:30:00Z\nattachments:\n  - path: pic.png\n    alt: a pic\n    sha256: ${sha(png)}\n`
  const l = await feed({ '2026/11/pic.yaml': post, '2026/11/pic.png': png })
  assert.equal((await loadPosts(l, { fingerprint: FPR })).problems, [])
  await fs.writeFile(path.join(l.feed, '2026/11/pic.png'), Buffer.from('other image bytes'))
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.match(r.problems[0]?.message ?? '', /sha256 of 'pic.png' does not match/)
})

test('the cache forgets a removed file and finds a new one', async () => {
  const l = await feed({ '2026/11/a.yaml': status('a'), '2026/11/b.yaml': status('b') })
  await loadPosts(l, { fingerprint: FPR })
  await fs.rm(path.join(l.feed, '2026/11/a.yaml'))
  await fs.writeFile(path.join(l.feed, '2026/11/c.yaml'), status('c'))
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.equal(r.posts.map((p) => p.stem).sort(), ['b', 'c'])
})

test("a bare stem in inReplyTo means one of the author's own posts", async () => {
  const l = await feed({ '2026/11/c.yaml': 'type: comment\npublished: 2026-11-24T09:30:00Z\ninReplyTo: a\ntext: yes\n' })
  const r = await loadPosts(l, { fingerprint: FPR })
  assert.is(r.posts[0].data.inReplyTo, `${FPR}/a`)
})

test('the example posts shipped in docs/examples are valid', async () => {
  const r = await loadPosts(layout(path.resolve('docs/examples')), {
    dir: path.resolve('docs/examples/feed'),
    fingerprint: FPR,
    cacheFile: false,
  })
  assert.equal(r.problems, [])
  assert.ok(r.posts.length >= 8)
})

test('a cache rewritten from kept rows and a new one reads back the same rows, data and extras', async () => {
  const dir = await tempDir()
  const first = path.join(dir, 'first.cache')
  const problem = { file: 'feed/b.yaml', line: 2, col: 1, message: 'bad' }
  const row = (file: string, n: number, extra?: [Row[9], Row[10]]): Row => {
    const r = [file, 10 + n, 1000 + n, 2000 + n, 30 + n, String(n).repeat(64), 5000 + n, -1, 0] as Row
    if (extra) r.push(...extra)
    return r
  }
  const rows: [Row, string | null][] = [
    [row('feed/a.yaml', 1), '{"a":1}'],
    [row('feed/b.yaml', 2, [[problem], []]), null],
    [row('feed/c.yaml', 3, [[], [[4, 5]]]), '{"c":3}'],
    [row('feed/e.yaml', 4), '{"e":4}'],
    [['feed/f.yaml', 15, 1005, 2005, 35, 'short', 5005, -1, 0], '{"f":5}'],
  ]
  const w = new PostCacheWriter()
  for (const [r, d] of rows) w.add([...r] as Row, d)
  await fs.writeFile(first, w.bytes(cacheVersion(), 42))
  const old = readRows(first, cacheVersion())!
  const { readPostCache } = await import('../../src/posts/post-cache.ts')
  const c = readPostCache(first, cacheVersion())!
  // keep every row, with a new one between c and e
  const again = new PostCacheWriter()
  for (let i = 0; i < 3; i++) again.keep(c, i)
  again.add(row('feed/d.yaml', 9), '{"d":9}')
  for (let i = 3; i < 5; i++) again.keep(c, i)
  const second = path.join(dir, 'second.cache')
  await fs.writeFile(second, again.bytes(cacheVersion(), 43))
  const now = readRows(second, cacheVersion())!
  const strip = (r: Row) => [...r.slice(0, 7), ...r.slice(9)]
  assert.equal(now.rows.map(strip), [...old.rows.slice(0, 3), row('feed/d.yaml', 9), ...old.rows.slice(3)].map(strip))
  assert.equal(
    now.data.map((b) => b?.toString() ?? null),
    ['{"a":1}', null, '{"c":3}', '{"d":9}', '{"e":4}', '{"f":5}'],
  )
  assert.is(readPostCache(second, cacheVersion())!.hash(5), 'short')
})

test.run()

test('a damaged or cut-short cache is ignored and written anew, never trusted', async () => {
  const l = await feed({ '2026/11/a.yaml': status('the real text'), '2026/11/b.yaml': status('two') })
  await loadPosts(l, { fingerprint: FPR })
  await ageCache(l)
  const good = await fs.readFile(cacheOf(l))
  // one byte of a post's data changed ('real' → 'reaL'), as a disk or a careless hand might do
  const at = good.lastIndexOf(Buffer.from('the real text'))
  const flipped = Buffer.from(good)
  flipped[at + 7] = 'L'.charCodeAt(0)
  for (const bad of [flipped, good.subarray(0, good.length - 5), Buffer.from('PFC2 nonsense')]) {
    await fs.writeFile(cacheOf(l), bad)
    const r = await loadPosts(l, { fingerprint: FPR })
    assert.is(r.stats.cached, 0)
    assert.is(r.posts.find((p) => p.stem === 'a')?.data.text, 'the real text')
    // and the cache is whole again
    assert.is((await loadPosts(l, { fingerprint: FPR })).stats.cached, 2)
  }
})
