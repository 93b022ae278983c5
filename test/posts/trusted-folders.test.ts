// Loading a folder written by renames alone (the inbox) through its folders' times, and the timeline built on it:
// every change sync can make is seen, an edit in place of a shown post is shown, a racy folder is listed again.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { layout, type Layout } from '../../src/paths.ts'
import { initFeed } from '../../src/posts/init-feed.ts'
import { cacheVersion, loadPosts } from '../../src/posts/load-posts.ts'
import { PostCacheWriter, readRows } from '../../src/posts/post-cache.ts'
import { loadTimeline } from '../../src/timeline/load-timeline.ts'
import { tempDir } from '../helpers/index.ts'

const FPR = 'cd'.repeat(20)
const status = (text: string, published: string) => `type: status\npublished: ${published}\ntext: ${text}\n`

/** inbox/alice with one post a minute, named p0…pN-1 in 2026/11, and the load the timeline does */
async function inbox(n: number): Promise<{ l: Layout; dir: string; cacheFile: string; load: () => ReturnType<typeof loadPosts> }> {
  const l = layout(await tempDir())
  const dir = path.join(l.inbox, 'alice')
  await fs.mkdir(path.join(dir, '2026/11'), { recursive: true })
  for (let i = 0; i < n; i++)
    await fs.writeFile(path.join(dir, `2026/11/p${i}.yaml`), status(`post ${i}`, `2026-11-24T09:${String(i).padStart(2, '0')}:00Z`))
  const cacheFile = path.join(l.state, 'cache', 'inbox-alice.cache')
  return { l, dir, cacheFile, load: () => loadPosts(l, { dir, fingerprint: FPR, cacheFile, trustFolders: true }) }
}

/** As if the cache were written a minute from now: every folder and row is then past the racy window. */
async function age(cacheFile: string) {
  const c = readRows(cacheFile, cacheVersion())!
  const w = new PostCacheWriter()
  c.rows.forEach((r, i) => w.add(r, c.data[i]))
  await fs.writeFile(cacheFile, w.bytes(cacheVersion(), Date.now() + 60_000, c.listProblems, c.dirs))
}

const folders = suite('loading through folder times')

folders('unchanged folders answer every row without a stat of each file', async () => {
  const f = await inbox(5)
  await f.load()
  await age(f.cacheFile)
  const r = await f.load()
  assert.is(r.stats.cached, 5)
  assert.is(r.posts.length, 5)
  assert.ok(r.stale, 'a load through folder times says how to check a post')
  assert.is(r.stale!(r.posts), false)
})

folders("a post replaced by rename with the same size, and its folder's mtime put back, is seen", async () => {
  const f = await inbox(3)
  const file = path.join(f.dir, '2026/11/p1.yaml')
  const folder = path.dirname(file)
  const ROUND = 1_790_000_000
  await fs.utimes(file, ROUND, ROUND)
  await fs.utimes(folder, ROUND, ROUND)
  await f.load()
  await age(f.cacheFile)
  // what sync does: a temp file beside it, renamed over it; then the folder's mtime (not its ctime) put back
  await fs.writeFile(`${file}.tmp`, status('post X', '2026-11-24T09:01:00Z'))
  await fs.utimes(`${file}.tmp`, ROUND, ROUND)
  await fs.rename(`${file}.tmp`, file)
  await fs.utimes(folder, ROUND, ROUND)
  const r = await f.load()
  assert.is(r.posts.find((p) => p.stem === 'p1')?.data.text, 'post X')
})

folders('a new post, a removed post and a new month folder are seen', async () => {
  const f = await inbox(3)
  await f.load()
  await age(f.cacheFile)
  await fs.rm(path.join(f.dir, '2026/11/p0.yaml'))
  await fs.writeFile(path.join(f.dir, '2026/11/p9.yaml'), status('nine', '2026-11-24T10:09:00Z'))
  await fs.mkdir(path.join(f.dir, '2026/12'))
  await fs.writeFile(path.join(f.dir, '2026/12/q.yaml'), status('december', '2026-12-01T10:00:00Z'))
  const r = await f.load()
  assert.equal(
    r.posts.map((p) => p.stem),
    ['p1', 'p2', 'p9', 'q'],
  )
})

folders('a folder as new as the cache is listed again, and a same-size edit in place within it is seen', async () => {
  const f = await inbox(2)
  const file = path.join(f.dir, '2026/11/p0.yaml')
  await f.load()
  const st = await fs.stat(file)
  await fs.writeFile(file, status('post Z', '2026-11-24T09:00:00Z'))
  await fs.utimes(file, st.atime, st.mtime)
  const r = await f.load()
  assert.is(r.posts.find((p) => p.stem === 'p0')?.data.text, 'post Z')
})

folders('stale() tells a post edited in place, with its folder unchanged', async () => {
  const f = await inbox(2)
  await f.load()
  await age(f.cacheFile)
  await fs.appendFile(path.join(f.dir, '2026/11/p1.yaml'), 'tags: [x]\n')
  const r = await f.load()
  const p1 = r.posts.find((p) => p.stem === 'p1')!
  const p0 = r.posts.find((p) => p.stem === 'p0')!
  assert.is(r.stale!([p0]), false)
  assert.is(r.stale!([p1]), true)
})

const timeline = suite('timeline through folder times')

async function timelineFeed() {
  const root = await tempDir()
  const l = layout(root)
  await initFeed(l, { name: 'Me' })
  const dir = path.join(l.inbox, 'alice')
  await fs.mkdir(path.join(dir, '2026/11'), { recursive: true })
  for (let i = 0; i < 4; i++) await fs.writeFile(path.join(dir, `2026/11/p${i}.yaml`), status(`post ${i}`, `2026-11-24T09:0${i}:00Z`))
  await loadTimeline(l)
  await age(path.join(l.state, 'cache', 'inbox-alice.cache'))
  return { l, dir }
}

timeline('a shown post edited in place, its folder untouched, shows its new text and place', async () => {
  const { l, dir } = await timelineFeed()
  // same size; it moves from the newest to below the next one
  await fs.writeFile(path.join(dir, '2026/11/p3.yaml'), status('post Q', '2026-11-24T09:01:30Z'))
  const t = await loadTimeline(l, { limit: 2 })
  assert.equal(
    t.items.map((i) => i.post.data.text),
    ['post 2', 'post Q'],
  )
})

timeline('a removed post leaves the timeline', async () => {
  const { l, dir } = await timelineFeed()
  await fs.rm(path.join(dir, '2026/11/p3.yaml'))
  const t = await loadTimeline(l, { limit: 10 })
  assert.equal(
    t.items.map((i) => i.post.data.text),
    ['post 2', 'post 1', 'post 0'],
  )
})

folders.run()
timeline.run()
