// Incremental rendering: only pages whose inputs changed are written, by rename; the rest keep their inode.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  ACTIVITY,
  COMMENT,
  everyType,
  FPR,
  linkCopy,
  post,
  render,
  siteDirs,
  STATUS,
  TEMPLATES,
  type SiteDirs,
  cleanup,
  withData,
  PNG,
} from './site-fixtures.ts'
import type { Post } from '../../src/posts/types.ts'

const inc = suite('site incremental')

async function inodes(dir: string): Promise<Map<string, { ino: number; mtimeMs: number }>> {
  const out = new Map<string, { ino: number; mtimeMs: number }>()
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue
    const abs = path.join(e.parentPath, e.name)
    const st = await fs.stat(abs)
    out.set(path.relative(dir, abs), { ino: st.ino, mtimeMs: st.mtimeMs })
  }
  return out
}

/** Builds `before`, then — into a hard-linked copy, as the build does — `after`; returns what changed. */
async function rebuild(before: Post[], after: Post[], d?: SiteDirs) {
  d ??= await siteDirs()
  await render(d, before)
  const prev = d.out
  const old = await inodes(prev)
  const homeBefore = await fs.readFile(path.join(prev, 'index.html'), 'utf8')
  const next = { ...d, out: `${d.out}-2` }
  await linkCopy(prev, next.out)
  const r = await render(next, after)
  const now = await inodes(next.out)
  const touched = [...now.keys()].filter((f) => old.get(f)?.ino !== now.get(f)!.ino).sort()
  const untouched = [...now.keys()].filter((f) => !touched.includes(f))
  for (const f of untouched) assert.is(now.get(f)!.mtimeMs, old.get(f)!.mtimeMs, f)
  // The previous build's files were never written through.
  assert.is(await fs.readFile(path.join(prev, 'index.html'), 'utf8'), homeBefore)
  return { r, touched, prev, next: next.out, d }
}

const NEW = post('2026-11-20T10-00-00Z-new', { type: STATUS, text: 'Fresh', tags: ['life'] })

inc('adding a post writes its page, its month, its tags, home, indexes and feeds — nothing else', async () => {
  const { r, touched } = await rebuild(everyType(), [...everyType(), NEW])
  const expected = [
    '2026/11/index.html',
    'archive/index.html',
    'feed.json',
    'feed.xml',
    'index.html',
    'outbox.json',
    'posts/2026-11-04T18-00-00Z-friend-reply/index.html', // its "newer" link now points at the new post
    'posts/2026-11-20T10-00-00Z-new/index.html',
    'tags/index.html',
    'tags/life/index.html',
  ]
  assert.equal(r.written, expected)
  assert.equal(touched, expected)
  assert.is(r.rendered, expected.length)
  assert.is(r.skipped, r.files.length - expected.length)
})

inc('a new comment also re-renders the post it answers, wherever that post is listed', async () => {
  const run = `${FPR}/2026-10-06T14-00-00Z-run`
  const comment = post('2026-11-21T10-00-00Z-nice-run', { type: COMMENT, inReplyTo: run, text: 'Nice run!' })
  const { r, next } = await rebuild(everyType(), [...everyType(), comment])
  for (const f of [
    'posts/2026-10-06T14-00-00Z-run/index.html',
    '2026/10/index.html',
    'posts/2026-11-21T10-00-00Z-nice-run/index.html',
    '2026/11/index.html',
    'index.html',
  ]) {
    assert.ok(r.written.includes(f), f)
  }
  assert.not.ok(r.written.includes('posts/2026-10-02T09-00-00Z-snow/index.html'))
  const page = await fs.readFile(path.join(next, 'posts/2026-10-06T14-00-00Z-run/index.html'), 'utf8')
  assert.match(page, 'Nice run!')
})

inc('editing a post re-renders its page and the lists that show it', async () => {
  const edited = everyType().map((p) => (p.stem.endsWith('-run') ? withData(p, { type: ACTIVITY, text: 'Calm after all.' }) : p))
  const { r, next } = await rebuild(everyType(), edited)
  assert.equal(r.written, [
    '2026/10/index.html',
    'feed.json',
    'feed.xml',
    'index.html',
    'outbox.json',
    'posts/2026-10-06T14-00-00Z-run/index.html',
  ])
  assert.match(await fs.readFile(path.join(next, 'posts/2026-10-06T14-00-00Z-run/index.html'), 'utf8'), 'Calm after all.')
})

inc('a removed post loses its page and attachment; its folder goes too', async () => {
  const without = everyType().filter((p) => !p.stem.endsWith('-snow'))
  const { r, next } = await rebuild(everyType(), without)
  assert.equal(r.removed, ['posts/2026-10-02T09-00-00Z-snow/index.html', 'posts/2026-10-02T09-00-00Z-snow/snow.png'])
  assert.is(await fs.stat(path.join(next, 'posts/2026-10-02T09-00-00Z-snow')).catch(() => null), null)
  assert.ok(r.written.includes('posts/2026-10-01T08-00-00Z-hello/index.html'), 'its neighbour links past it')
  assert.not.match(await fs.readFile(path.join(next, 'tags/life/index.html'), 'utf8'), 'First snow')
})

inc('nothing changed: nothing is written', async () => {
  const { r, touched } = await rebuild(everyType(), everyType())
  assert.is(r.rendered, 0)
  assert.equal(touched, [])
  assert.is(r.skipped, r.files.length)
})

inc('a changed template re-renders every page with the new template', async () => {
  const d = await siteDirs()
  const templatesDir = path.join(path.dirname(d.root), 'templates')
  await fs.cp(TEMPLATES, templatesDir, { recursive: true })
  const first = await render(d, everyType(), { templatesDir })
  const base = path.join(templatesDir, '_includes/base.njk')
  await fs.writeFile(base, (await fs.readFile(base, 'utf8')).replace('made with PeerFeed', 'restyled by me'))
  const second = await render(d, everyType(), { templatesDir })
  const pages = first.files.filter((f) => f.endsWith('.html'))
  for (const f of pages) assert.ok(second.written.includes(f), f)
  for (const f of pages) assert.match(await fs.readFile(path.join(d.out, f), 'utf8'), 'restyled by me', f)
  assert.not.ok(second.written.includes('posts/2026-10-02T09-00-00Z-snow/snow.png'), 'copies are keyed by content, not templates')
})

inc('full: true re-renders everything; a page deleted from the output is rendered again', async () => {
  const d = await siteDirs()
  const first = await render(d, everyType())
  const full = await render(d, everyType(), { full: true })
  assert.is(full.rendered, first.files.length)
  await fs.rm(path.join(d.out, '2026/10/index.html'))
  const again = await render(d, everyType())
  assert.equal(again.written, ['2026/10/index.html'])
})

inc('a missing attachment is reported and the rest of the site is built', async () => {
  const d = await siteDirs()
  await fs.rm(path.join(d.root, 'feed/2026/10/snow.png'))
  const outside = post('2026-10-09T08-00-00Z-escape', {
    type: STATUS,
    text: 'x',
    attachments: [{ path: '../../../../etc/passwd', alt: '' }],
  })
  const r = await render(d, [...everyType(), outside])
  assert.equal(
    r.problems.map((p) => p.file),
    ['feed/2026/10/2026-10-02T09-00-00Z-snow.yaml', 'feed/2026/10/2026-10-09T08-00-00Z-escape.yaml'].sort(),
  )
  assert.ok(r.files.includes('posts/2026-10-02T09-00-00Z-snow/index.html'))
  assert.not.ok(r.files.some((f) => f.endsWith('passwd')))
})

inc('two builds of the same posts give byte-identical sites', async () => {
  const a = await siteDirs()
  const b = await siteDirs()
  await render(a, everyType())
  await render(b, [...everyType()].reverse())
  for (const f of (await render(a, everyType())).files) {
    if (f.endsWith('.png')) continue
    assert.is(await fs.readFile(path.join(b.out, f), 'utf8'), await fs.readFile(path.join(a.out, f), 'utf8'), f)
  }
})

inc.after(cleanup)
inc('when nothing the site is made from changed, nothing is planned; a page removed by hand is still written again', async () => {
  const d = await siteDirs()
  const posts = everyType()
  const ownIds = new Set(posts.map((p) => p.id))
  await render(d, posts, { ownIds })
  const same = await render(d, posts, { ownIds })
  assert.ok('unchanged' in same.timings, 'the second build found the site unchanged')
  assert.is(same.rendered, 0)
  assert.is(same.skipped, same.files.length)
  // a private post no public post points at: the site is unchanged
  const withPrivate = new Set([...ownIds, `${FPR}/2026-11-22T08-00-00Z-private`])
  assert.ok('unchanged' in (await render(d, posts, { ownIds: withPrivate })).timings)
  // a public comment on a post that does not exist yet, then that post made, privately: the comment's page now says
  // "not public" rather than "does not exist", so the site is planned again
  const lost = `${FPR}/2026-11-23T08-00-00Z-later`
  const comment = post('2026-11-24T08-00-00Z-on-later', { type: COMMENT, inReplyTo: lost, text: 'Where is it?' })
  const withComment = [...posts, comment]
  await render(d, withComment, { ownIds: withPrivate })
  const commentPage = 'posts/2026-11-24T08-00-00Z-on-later/index.html'
  const before = await fs.readFile(path.join(d.out, commentPage), 'utf8')
  const made = await render(d, withComment, { ownIds: new Set([...withPrivate, lost]) })
  assert.not.ok('unchanged' in made.timings)
  assert.ok(made.written.includes(commentPage), made.written.join(', '))
  assert.is.not(await fs.readFile(path.join(d.out, commentPage), 'utf8'), before)
  const all = { ownIds: new Set([...withPrivate, lost]) }
  assert.ok('unchanged' in (await render(d, withComment, all)).timings)
  // an edited attachment (same post file) is planned too: its copy is written again
  await fs.writeFile(path.join(d.root, 'feed/2026/10/snow.png'), Buffer.concat([PNG, Buffer.from([0])]))
  const att = await render(d, withComment, all)
  assert.not.ok('unchanged' in att.timings)
  assert.ok(
    att.written.some((f) => f.endsWith('snow.png')),
    att.written.join(', '),
  )
  // a page removed from the output folder by hand: not "unchanged", and written again
  await fs.rm(path.join(d.out, 'index.html'))
  const again = await render(d, withComment, all)
  assert.not.ok('unchanged' in again.timings)
  assert.equal(again.written, ['index.html'])
  // a different set of public posts is never taken for the same site
  const fewer = await render(d, withComment.slice(1), all)
  assert.not.ok('unchanged' in fewer.timings)
  assert.ok(fewer.removed.length > 0)
})

inc.run()
