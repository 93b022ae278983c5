// check refuses what could read outside the feed or exhaust it: symlinked posts and attachments, YAML aliases,
// deep nesting, huge files and fields — each a problem naming the file, never "unexpected error", never published.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rejects } from 'node:assert/strict'
import { buildFeed } from '../../src/build/build.ts'
import { layout } from '../../src/paths.ts'
import { loadPosts } from '../../src/posts/load-posts.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { MAX_DEPTH, MAX_FIELD_CHARS, MAX_POST_BYTES } from '../../src/posts/limits.ts'
import { cli, tempDir } from '../helpers/index.ts'
import { allFiles } from '../helpers/feeds.ts'
import { makeFeed } from '../helpers/peers.ts'

const FPR = 'ab'.repeat(20)
const HEAD = 'type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\n'

async function feedWith(files: Record<string, string>) {
  const root = await tempDir()
  await fs.writeFile(path.join(root, 'peerfeed.yaml'), 'name: Test\n') // a feed: commands refuse elsewhere
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(root, 'feed', name)
    await fs.mkdir(path.dirname(p), { recursive: true })
    await fs.writeFile(p, body)
  }
  return layout(root)
}

const limits = suite('check limits')

limits('a YAML alias is a problem at its line, not an unexpected error', async () => {
  const l = await feedWith({ '2026/11/alias.yaml': 'type: status\npublished: 2026-11-24T09:30:00Z\ntext: &t hi\nx-copy: *t\n' })
  const r = await cli(['check', '--root', l.root])
  assert.is.not(r.code, 0)
  const out = r.stdout + r.stderr
  assert.match(out, 'feed/2026/11/alias.yaml:4')
  assert.match(out, "alias '*t'")
  assert.not.match(out, /unexpected/i)
})

limits('3,000 levels of nesting give a clear problem naming the file', async () => {
  const flow = `${HEAD}x-deep: ${'['.repeat(3000)}1${']'.repeat(3000)}\n`
  const block = `${HEAD}x-deep:\n${'- '.repeat(3000)}1\n` // compact nested lists: 3,000 levels on one line
  const l = await feedWith({ '2026/11/flow.yaml': flow, '2026/11/block.yaml': block })
  const r = await cli(['check', '--root', l.root])
  assert.is.not(r.code, 0)
  const out = r.stdout + r.stderr
  for (const f of ['flow', 'block'])
    assert.match(
      out,
      new RegExp(
        `feed/2026/11/${f}\\.yaml:\\d+:\\d+ +nested \\d+ levels deep; a post may nest lists and mappings at most ${MAX_DEPTH} levels`,
      ),
    )
  assert.not.match(out, /call stack|unexpected/i)
})

limits('nesting up to the limit is fine; one more is not', () => {
  const nest = (n: number) => `${HEAD}x-n: ${'['.repeat(n)}${']'.repeat(n)}\n`
  assert.equal(parsePost(nest(MAX_DEPTH - 1), 'ok.yaml').problems, []) // the post's own mapping is one level
  assert.match(parsePost(nest(MAX_DEPTH), 'deep.yaml').problems[0]?.message ?? '', 'nested')
})

limits('a 50 MB x- field is refused by the file size limit, without reading it', async () => {
  const l = await feedWith({ '2026/11/huge.yaml': `${HEAD}x-blob: "${'a'.repeat(50 * 1024 * 1024)}"\n` })
  const r = await loadPosts(l, { fingerprint: FPR, cacheFile: false })
  assert.equal(r.posts, [])
  assert.is(r.problems.length, 1)
  assert.is(r.problems[0].file, 'feed/2026/11/huge.yaml')
  assert.match(r.problems[0].message, `the post file is 50 MiB; a post file may be at most ${MAX_POST_BYTES / 1024 / 1024} MiB`)
})

limits('an x- field over its own limit is refused at its line', () => {
  const text = `${HEAD}x-ok: small\nx-big: "${'b'.repeat(MAX_FIELD_CHARS + 1)}"\n`
  const r = parsePost(text, 'big.yaml')
  assert.is(r.problems.length, 1)
  assert.is(r.problems[0].line, 5)
  assert.match(r.problems[0].message, `'x-big' holds 100,003 characters; an x- field may hold at most 100,000`)
})

const links = suite('check symlinks')

links('a symlinked post, folder or attachment is a problem naming it', async () => {
  const outside = await tempDir('peerfeed-outside-')
  await fs.writeFile(path.join(outside, 'id_rsa'), 'PRIVATE KEY MATERIAL')
  await fs.writeFile(path.join(outside, 'post.yaml'), HEAD)
  await fs.mkdir(path.join(outside, 'dir'))
  await fs.writeFile(path.join(outside, 'dir', 'photo.jpg'), 'PRIVATE PHOTO')
  const l = await feedWith({
    '2026/11/a.yaml': `${HEAD}attachments:\n  - path: key.txt\n`,
    '2026/11/b.yaml': `${HEAD}attachments:\n  - path: pics/photo.jpg\n`,
  })
  const dir = path.join(l.feed, '2026', '11')
  await fs.symlink(path.join(outside, 'id_rsa'), path.join(dir, 'key.txt'))
  await fs.symlink(path.join(outside, 'dir'), path.join(dir, 'pics'))
  await fs.symlink(path.join(outside, 'post.yaml'), path.join(dir, 'linked.yaml'))
  const r = await loadPosts(l, { fingerprint: FPR, cacheFile: false })
  const said = r.problems.map((p) => `${p.file}: ${p.message}`).join('\n')
  assert.match(said, /feed\/2026\/11\/linked\.yaml: is a symbolic link/)
  assert.match(said, /feed\/2026\/11\/pics: is a symbolic link/)
  assert.match(said, /feed\/2026\/11\/a\.yaml: attachments\[0\]: 'key\.txt' is a symbolic link/)
  assert.match(said, /feed\/2026\/11\/b\.yaml: attachments\[0\]: 'pics\/photo\.jpg' lies under a symbolic link \(pics\)/)
  assert.equal(r.posts, [])
})

links('a build refuses symlinked attachments: nothing of them is published or encrypted', async () => {
  const ada = await makeFeed('ada')
  const bob = await makeFeed('bob')
  try {
    await ada.befriend(bob)
    const outside = await tempDir('peerfeed-outside-')
    await fs.writeFile(path.join(outside, 'secret.txt'), 'OUTSIDE SECRET 42')
    const dir = path.dirname(await ada.postFile(await ada.post({ text: 'plain' })))
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'notes.txt'))
    await fs.writeFile(
      path.join(dir, 'pub.yaml'),
      `type: status\npublished: 2026-11-24T09:30:00Z\ntext: see file\nattachments:\n  - path: notes.txt\n`,
    )
    await fs.writeFile(
      path.join(dir, 'priv.yaml'),
      `type: status\npublished: 2026-11-24T09:31:00Z\nto: bob\ntext: see file\nattachments:\n  - path: notes.txt\n`,
    )
    await rejects(buildFeed(ada.layout), (e: Error & { code?: string }) => {
      assert.is(e.code, 'CHECK_FAILED')
      assert.match(e.message, /pub\.yaml:\d+:\d+ +attachments\[0\]: 'notes\.txt' is a symbolic link/)
      assert.match(e.message, /priv\.yaml:\d+:\d+ +attachments\[0\]: 'notes\.txt' is a symbolic link/)
      return true
    })
    for (const f of await allFiles(ada.layout.dist).catch(() => [] as string[])) {
      assert.not.match(await fs.readFile(path.join(ada.layout.dist, f), 'latin1'), 'OUTSIDE SECRET', f)
    }
  } finally {
    await ada.close()
    await bob.close()
  }
})

limits.run()
links.run()
