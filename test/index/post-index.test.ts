// PostIndex: posts by id, time and audience, with replies and likes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { PostIndex } from '../../src/index/post-index.ts'
import type { Post, PostData } from '../../src/posts/types.ts'

const FPR = 'ab'.repeat(20)
const post = (stem: string, data: Partial<PostData>): Post => ({
  id: `${FPR}/${stem}`,
  stem,
  file: `feed/${stem}.yaml`,
  hash: stem,
  author: FPR,
  data: { type: 'status', published: '2026-11-24T09:00:00Z', text: stem, ...data } as PostData,
})

const posts = [
  post('c', { published: '2026-11-24T11:00:00+01:00' }), // 10:00Z: time zones are compared as instants
  post('a', { published: '2026-11-24T09:00:00Z', to: ['family'] }),
  post('b', { published: '2026-11-24T09:30:00Z', to: ['public', 'bob'] }),
  post('r', { type: 'comment', published: '2026-11-24T12:00:00Z', inReplyTo: `${FPR}/c` }),
  post('l', { type: 'like', published: '2026-11-24T12:30:00Z', object: `${FPR}/c`, text: undefined }),
]

test('orders posts by instant, then id, whatever order they came in', () => {
  assert.equal(
    new PostIndex(posts).byTime.map((p) => p.stem),
    ['a', 'b', 'c', 'r', 'l'],
  )
})

test('groups posts by audience; no `to` means public', () => {
  const idx = new PostIndex(posts)
  assert.equal(
    idx.public.map((p) => p.stem),
    ['b', 'c', 'r', 'l'],
  )
  assert.equal(
    idx.forAudience('family').map((p) => p.stem),
    ['a'],
  )
  assert.equal(
    idx.forAudience('bob').map((p) => p.stem),
    ['b'],
  )
  assert.equal(idx.forAudience('nobody'), [])
})

test('finds replies and likes of a post, the newest posts, and posts after a time', () => {
  const idx = new PostIndex(posts)
  assert.equal(
    idx.replies.get(`${FPR}/c`)!.map((p) => p.stem),
    ['r'],
  )
  assert.equal(
    idx.likes.get(`${FPR}/c`)!.map((p) => p.stem),
    ['l'],
  )
  assert.equal(
    idx.newest(2).map((p) => p.stem),
    ['l', 'r'],
  )
  assert.equal(
    idx.newest(2, (p) => p.data.type === 'status').map((p) => p.stem),
    ['c', 'b'],
  )
  assert.equal(
    idx.after('2026-11-24T09:30:00Z').map((p) => p.stem),
    ['c', 'r', 'l'],
  )
  assert.is(idx.byId.get(`${FPR}/a`)!.stem, 'a')
})

test.run()
