// A plan that takes over the last plan's hashes (planSite's `previous`) gives every page the hash a plan made from
// nothing gives, after every step of a long random history of edits.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { planSite, type PlanState } from '../../src/build/site/plan.ts'
import { stemSlug } from '../../src/build/site/urls.ts'
import { ownRefs } from '../../src/build/site/render-site.ts'
import type { Post } from '../../src/posts/types.ts'
import { COMMENT, everyType, FPR, FRIEND, LIKE, owner, post, STATUS, withData } from './site-fixtures.ts'

const test = suite('site plan: taking over unchanged pages')

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, chance: (p: number) => next() < p }
}

const TAGS = ['snow', 'run', 'Snow', 'food', 'life']

test('after each of 1,200 random edits, every page hash equals a plan from nothing', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const r = random(seed)
    let n = 0
    const stamp = () => {
      const month = 8 + r.int(4)
      const day = 1 + r.int(28)
      return `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(r.int(24)).padStart(2, '0')}-00-00Z`
    }
    const status = () => {
      const s = `${stamp()}-p${n++}`
      return post(s, {
        type: STATUS,
        text: `Post ${n}\n\nmore ${r.int(3)}`,
        tags: r.chance(0.6) ? [r.pick(TAGS), r.pick(TAGS)] : undefined,
      })
    }
    let posts: Post[] = [...everyType(), ...Array.from({ length: 40 }, status)]
    let own = new Set(posts.map((p) => p.id))
    const ops: [string, () => void][] = [
      ['add a post', () => posts.push(status())],
      [
        'add a comment',
        () => {
          const target = r.chance(0.8)
            ? r.pick(posts).id
            : r.chance(0.5)
              ? `${FPR}/2026-09-09T09-00-00Z-gone`
              : `${FRIEND}/2026-09-01T00-00-00Z-x`
          posts.push(post(`${stamp()}-c${n++}`, { type: COMMENT, inReplyTo: target, text: r.chance(0.7) ? `Re ${n}` : '' }))
        },
      ],
      ['add a like', () => posts.push(post(`${stamp()}-l${n++}`, { type: LIKE, object: r.pick(posts).id }))],
      [
        'edit a text',
        () => {
          const i = r.int(posts.length)
          posts[i] = withData(posts[i]!, { text: r.chance(0.5) ? `New title ${n++}` : `${posts[i]!.data.text ?? ''}\n\nmore` })
        },
      ],
      [
        'change tags',
        () => {
          const i = r.int(posts.length)
          posts[i] = withData(posts[i]!, { tags: r.chance(0.3) ? undefined : [r.pick(TAGS)] })
        },
      ],
      ['delete a post', () => posts.splice(r.int(posts.length), 1)],
      [
        'move a post in time',
        () => {
          const i = r.int(posts.length)
          const s = stamp()
          posts[i] = withData(posts[i]!, { published: `${s.slice(0, 10)}T${s.slice(11, 13)}:00:00Z` })
        },
      ],
      [
        'answer another post',
        () => {
          const comments = posts.map((p, i) => [p, i] as const).filter(([p]) => p.data.type === COMMENT)
          if (!comments.length) return
          const [c, i] = r.pick(comments)
          posts[i] = withData(c, { inReplyTo: r.pick(posts).id })
        },
      ],
      [
        'a stem whose slug another post has',
        () => {
          // a stem with a space gets a slug with a hash (urls.ts); a later file named as that slug clashes with it
          const other = r.pick(posts)
          const stem = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(other.stem) ? other.stem.replace(/-(\w+)$/, ' $1') : stemSlug(other.stem)
          // two posts with one id are refused by check before any build: never made here
          if (stem === other.stem || posts.some((p) => p.stem === stem)) return
          // published at another time than its stem says: the two need not be neighbours
          const s = stamp()
          posts.push(post(stem, { type: STATUS, text: 'clash', published: `${s.slice(0, 10)}T${s.slice(11, 13)}:00:00Z` }))
        },
      ],
      [
        'a private post made or removed',
        () => (own = new Set(r.chance(0.5) ? [...own, `${FPR}/2026-09-09T09-00-00Z-gone`] : posts.map((p) => p.id))),
      ],
    ]
    const plan = (previous?: { state: PlanState; hashes: Record<string, string> }) =>
      planSite({ posts, owner: owner(), templateHash: 't', ownIds: own, context: JSON.stringify(ownRefs(posts, FPR, own)), previous })
    let last = plan()
    let reused = 0
    for (let step = 0; step < 150; step++) {
      const [what, op] = r.pick(ops)
      op()
      const previous = { state: last.state, hashes: Object.fromEntries(last.pages.map((p) => [p.path, p.hash])) }
      const delta = plan(previous)
      const full = plan()
      const got = Object.fromEntries(delta.pages.map((p) => [p.path, p.hash]))
      const want = Object.fromEntries(full.pages.map((p) => [p.path, p.hash]))
      const diff = [...new Set([...Object.keys(got), ...Object.keys(want)])].filter((k) => got[k] !== want[k])
      assert.equal(diff, [], `seed ${seed}, step ${step}: ${what}`)
      reused += delta.reused
      last = delta
    }
    assert.ok(reused > 1000, `seed ${seed}: pages were taken over (${reused})`)
  }
})

test('a plan from another template, site or owner takes nothing over', () => {
  const posts = everyType()
  const first = planSite({ posts, owner: owner(), templateHash: 't' })
  const previous = { state: first.state, hashes: Object.fromEntries(first.pages.map((p) => [p.path, p.hash])) }
  assert.ok(planSite({ posts, owner: owner(), templateHash: 't', previous }).reused > 0)
  assert.is(planSite({ posts, owner: owner(), templateHash: 'u', previous }).reused, 0)
  assert.is(planSite({ posts, owner: owner({ name: 'Someone Else' }), templateHash: 't', previous }).reused, 0)
  assert.is(planSite({ posts, owner: owner(), templateHash: 't', context: 'x', previous }).reused, 0)
  // a damaged state (as read from a damaged manifest) is a plan from nothing, never a crash or a wrong hash
  const full = planSite({ posts, owner: owner(), templateHash: 't' }).pages.map((p) => p.hash)
  for (const bad of [
    { ...first.state, ids: 'x' },
    { ...first.state, hashes: first.state.hashes.slice(1) },
    { ...first.state, slugs: [...first.state.slugs.slice(1), 7] },
    { ...first.state, targets: null },
    { ...first.state, lists: null },
    null,
  ]) {
    const p = planSite({
      posts,
      owner: owner(),
      templateHash: 't',
      previous: { state: bad as unknown as PlanState, hashes: previous.hashes },
    })
    assert.is(p.reused, 0, JSON.stringify(bad)?.slice(0, 60))
    assert.equal(
      p.pages.map((x) => x.hash),
      full,
    )
  }
})

test.run()
