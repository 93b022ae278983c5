// A public comment or like of a private post: nothing public names that post (its stem is its date and first words).
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import type { Entry } from '../../src/protocol/wire.ts'
import { validatorFor } from '../../src/schemas/index.ts'
import { allFiles, writeTestPost } from '../helpers/feeds.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const SECRET_STEM = '2026-11-20T08-00-00Z-surprise-party-for-bob'
let ada: TestFeed
let bob: TestFeed

test.before(async () => {
  ;[ada, bob] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
  await ada.befriend(bob)
  await writeTestPost(ada, { published: '2026-11-20T08:00:00Z', text: 'surprise party for bob, do not tell', to: ['family'] }, SECRET_STEM)
  await ada.group('family', ['bob'])
  await writeTestPost(ada, { published: '2026-11-20T09:00:00Z', text: 'an open post' }, 'open-post')
  await writeTestPost(ada, { type: 'comment', published: '2026-11-21T09:00:00Z', inReplyTo: SECRET_STEM, text: 'this will be fun' }, 'c1')
  await writeTestPost(ada, { type: 'like', published: '2026-11-21T09:01:00Z', object: SECRET_STEM }, 'l1')
  await writeTestPost(ada, { type: 'comment', published: '2026-11-21T09:02:00Z', inReplyTo: 'open-post', text: 'on the open one' }, 'c2')
  await buildFeed(ada.layout)
})
test.after(async () => {
  await ada?.close()
  await bob?.close()
})

async function publicEntries(f: TestFeed): Promise<Entry[]> {
  const server = await f.serve()
  try {
    const body = (await (await fetch(new URL('/api/v1/public?since=0', server.url))).json()) as { posts: Entry[] }
    return body.posts
  } finally {
    await server.close()
  }
}

test('no public file and no /api/v1/public answer names the private post', async () => {
  for (const f of await allFiles(ada.layout.dist)) {
    if (f.startsWith(`p${path.sep}`)) continue // encrypted pages
    const text = await fs.readFile(path.join(ada.layout.dist, f), 'utf8')
    assert.not.ok(text.includes('surprise-party'), `${f} names the private post`)
  }
  const entries = await publicEntries(ada)
  assert.not.ok(JSON.stringify(entries).includes('surprise-party'))
})

test('the comment and the like refer to it by one opaque, valid reference; a public target keeps its id', async () => {
  const entries = await publicEntries(ada)
  const by = (stem: string) => entries.find((e) => e.id.endsWith(`/${stem}`))!.post!
  const opaque = new RegExp(`^${ada.fingerprint.toLowerCase()}/private-[0-9a-f]{24}$`)
  assert.match(by('c1').inReplyTo!, opaque)
  assert.match(by('l1').object!, opaque)
  assert.is(by('c1').inReplyTo, by('l1').object)
  assert.is(by('c2').inReplyTo, `${ada.fingerprint.toLowerCase()}/open-post`)
  for (const stem of ['c1', 'l1']) {
    const post = by(stem)
    const validate = validatorFor(post.type)!
    assert.ok(validate(post), `${stem} is still a valid ${post.type}: ${JSON.stringify(validate.errors)}`)
  }
})

test('when the target becomes public, the public pages name it again', async () => {
  const file = await ada.postFile(SECRET_STEM)
  await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^to:.*\n(\s+- .*\n)*/m, ''))
  await buildFeed(ada.layout)
  const entries = await publicEntries(ada)
  assert.is(entries.find((e) => e.id.endsWith('/c1'))!.post!.inReplyTo, `${ada.fingerprint.toLowerCase()}/${SECRET_STEM}`)
})

test.run()
