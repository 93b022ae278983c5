// The build lists and stats its posts from its input scan (input-snapshot.ts) instead of walking the feed again: the
// listing and the problems are the ones listPostFiles gives, for every kind of entry a feed may hold.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import { scannedTree, scanStart } from '../../src/build/input-snapshot.ts'
import type { Problem } from '../../src/errors.ts'
import { listFromModes, listPostFiles } from '../../src/posts/list-post-files.ts'
import { loadPosts } from '../../src/posts/load-posts.ts'
import { makeFeed } from '../helpers/peers.ts'

const listing = suite('scanned listing')

const post = (text: string) => `type: status\npublished: 2026-11-20T10:00:00Z\ntext: ${text}\n`

listing('hidden entries, hidden folders, .yml, links and a pipe: as listPostFiles has them', async () => {
  const f = await makeFeed('lister')
  const dir = path.join(f.layout.feed, '2026', '11')
  await fs.mkdir(path.join(dir, '.drafts'), { recursive: true })
  await fs.mkdir(path.join(dir, 'deep', 'er'), { recursive: true })
  await fs.writeFile(path.join(dir, 'a.yaml'), post('a'))
  await fs.writeFile(path.join(dir, 'deep', 'er', 'b.yaml'), post('b'))
  await fs.writeFile(path.join(dir, 'c.yml'), post('c'))
  await fs.writeFile(path.join(dir, '.hidden.yaml'), post('hidden'))
  await fs.writeFile(path.join(dir, '.drafts', 'd.yaml'), post('draft'))
  await fs.writeFile(path.join(dir, 'photo.jpg'), 'jpg')
  await fs.symlink(path.join(dir, 'a.yaml'), path.join(dir, 'linked.yaml'))
  await fs.symlink(path.join(dir, 'deep'), path.join(dir, 'linked-dir'))
  let pipe = false
  try {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')])
    pipe = true
  } catch {}
  const byFile = (a: Problem, b: Problem) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  const walked: Problem[] = []
  const expected = listPostFiles(f.layout.feed, f.layout.root, walked)
  const scanned = scannedTree(f.layout, scanStart(f.layout), f.layout.feed)!
  const found: Problem[] = []
  const got = listFromModes(scanned.files, found)
  assert.equal(got.files, expected.files)
  assert.equal(found.sort(byFile), walked.sort(byFile))
  assert.ok(expected.files.includes('feed/2026/11/.drafts/d.yaml'), 'a hidden folder is listed')
  assert.ok(!expected.files.includes('feed/2026/11/.hidden.yaml'), 'a hidden file is not')
  assert.is(walked.length, pipe ? 4 : 3, walked.map((p) => p.file).join(', '))
  // the stats the scan recorded are the files' own
  const st = await fs.stat(path.join(f.layout.root, 'feed/2026/11/a.yaml'))
  assert.equal(scanned.stat('feed/2026/11/a.yaml'), { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino })
  // and loading through them gives what loading by walking gives
  const a = await loadPosts(f.layout, { fingerprint: f.fingerprint, cacheFile: false, scanned })
  const b = await loadPosts(f.layout, { fingerprint: f.fingerprint, cacheFile: false })
  assert.equal(
    a.posts.map((p) => [p.id, p.hash]),
    b.posts.map((p) => [p.id, p.hash]),
  )
  assert.equal(a.problems.sort(byFile), b.problems.sort(byFile))
  await f.close()
})

listing('a folder the scan could not list is walked the usual way (and its problem reported)', async () => {
  const f = await makeFeed('unlisted')
  const dir = path.join(f.layout.feed, '2026', '11')
  await fs.mkdir(path.join(dir, 'locked'), { recursive: true })
  await fs.writeFile(path.join(dir, 'a.yaml'), post('a'))
  await fs.chmod(path.join(dir, 'locked'), 0)
  try {
    // root reads any folder: then there is nothing to show
    if (process.getuid?.() === 0) return
    assert.is(scannedTree(f.layout, scanStart(f.layout), f.layout.feed), undefined)
  } finally {
    await fs.chmod(path.join(dir, 'locked'), 0o755)
    await f.close()
  }
})

listing('a post that became a symbolic link since the last build stops the build, naming it', async () => {
  const f = await makeFeed('relinked')
  const stem = await f.post({ text: 'soon a link' })
  await buildFeed(f.layout)
  const file = await f.postFile(stem)
  const outside = path.join(path.dirname(f.layout.root), `${path.basename(f.layout.root)}-outside.yaml`)
  await fs.rename(file, outside)
  await fs.symlink(outside, file)
  try {
    await buildFeed(f.layout)
    assert.unreachable('the build went ahead')
  } catch (e) {
    assert.match((e as Error).message, new RegExp(`${stem}\\.yaml.*is a symbolic link`), (e as Error).message)
  }
  await f.close()
})

listing.run()
