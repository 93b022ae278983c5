// The pure core of the public site: formatting, URLs, and page planning with hashes that track every input.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { firstLine, groupFingerprint, humanDuration, paragraphs, trimNumber, wallTime } from '../../src/build/site/format.ts'
import { planSite, safeSvg } from '../../src/build/site/plan.ts'
import { diffOutputs } from '../../src/build/site/manifest.ts'
import { attachmentName, baseOf, safeUrl, stemSlug, tagSlug } from '../../src/build/site/urls.ts'
import type { Post } from '../../src/posts/types.ts'
import { ACTIVITY, COMMENT, everyType, FPR, LIKE, owner, post, STATUS, withData } from './site-fixtures.ts'

const fmt = suite('site formatting')

fmt('durations read like people write them', () => {
  assert.is(humanDuration('PT45M'), '45 min')
  assert.is(humanDuration('PT1H5M30S'), '1 h 5 min 30 s')
  assert.is(humanDuration('P1DT2H'), '1 d 2 h')
  assert.is(humanDuration('soon'), 'soon')
})

fmt('event times stay in the zone they were written in', () => {
  assert.equal(wallTime('2026-12-19T19:30:00+01:00'), {
    iso: '2026-12-19T19:30:00+01:00',
    date: 'Sat 19 December 2026',
    time: '19:30',
    zone: '+01:00',
  })
  assert.equal(wallTime('2026-12-19'), { iso: '2026-12-19', date: 'Sat 19 December 2026', time: undefined, zone: undefined })
  assert.is(wallTime('2026-12-19T08:00:00Z').zone, 'UTC')
})

fmt('fingerprints in groups of four, numbers without noise, titles cut at a word', () => {
  assert.is(groupFingerprint('a1b2c3d4e5f6'), 'A1B2 C3D4 E5F6')
  assert.is(trimNumber(10.5), '10.5')
  assert.is(trimNumber(10.0), '10')
  assert.is(firstLine('\n  Hello there\nsecond'), 'Hello there')
  assert.is(firstLine(' \n\t\n  '), undefined)
  assert.is(firstLine(''), undefined)
  assert.is(firstLine('last line only\n'), 'last line only')
  assert.is(firstLine('word '.repeat(40), 20), 'word word word word…')
  assert.equal(paragraphs('a\nb\n\n\nc\r\n\r\nd'), ['a\nb', 'c', 'd'])
})

const urls = suite('site urls')

urls('tags slug case-insensitively and keep letters of any script', () => {
  assert.is(tagSlug('Life'), 'life')
  assert.is(tagSlug('Café au lait'), 'café-au-lait')
  assert.is(tagSlug('C++'), 'c')
  assert.match(tagSlug('++'), /^tag-[0-9a-f]{8}$/)
})

urls('odd stems and attachment names cannot escape their folder', () => {
  assert.is(stemSlug('2026-11-24T09-30-00Z-first-snow'), '2026-11-24T09-30-00Z-first-snow')
  assert.match(stemSlug('../../etc'), /^etc-[0-9a-f]{8}$/)
  assert.is(attachmentName('photos/../index.html'), 'file-index.html')
  assert.is(attachmentName('.hidden'), 'hidden')
  assert.is(attachmentName('a b.png'), 'a-b.png')
})

urls('only http(s) links become hrefs; the site base comes from the owner URL', () => {
  assert.is(safeUrl('https://example.com/x'), 'https://example.com/x')
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'nonsense', 42]) assert.is(safeUrl(bad), undefined)
  assert.equal(baseOf('https://example.org/~ada'), { path: '/~ada/', absolute: 'https://example.org/~ada/' })
  assert.equal(baseOf(undefined), { path: '', absolute: '' }, 'no URL: links relative to the root, which each page names in <base>')
})

urls('the key QR code is inlined only when it is plain SVG', () => {
  assert.ok(safeSvg('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'))
  assert.is(safeSvg('<svg onload="alert(1)"></svg>'), '')
  assert.is(safeSvg('<svg><script>alert(1)</script></svg>'), '')
  assert.is(safeSvg('<img src=x>'), '')
})

const plan = suite('site plan')
const hashes = (posts: Post[]) => new Map(planSite({ posts, owner: owner(), templateHash: 't' }).pages.map((p) => [p.path, p.hash]))
const changed = (a: Post[], b: Post[]) => {
  const x = hashes(a)
  const y = hashes(b)
  return [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k)).sort()
}

plan('pages do not depend on the order posts arrive in', () => {
  assert.equal([...hashes(everyType())], [...hashes([...everyType()].reverse())])
})

plan('a page hash changes exactly when the data the page shows changes', () => {
  // Compare every page's data with the data after each edit: a hash must change iff the data does.
  const base = everyType()
  const edits: [string, Post[]][] = [
    [
      'comment text',
      base.map((p) =>
        p.data.type === COMMENT && p.stem.endsWith('-reply') && !p.stem.includes('friend') ? withData(p, { text: 'changed' }) : p,
      ),
    ],
    ['liked post text', base.map((p) => (p.stem.endsWith('-hello') ? withData(p, { text: 'New first line' }) : p))],
    ['activity figures', base.map((p) => (p.data.type === ACTIVITY ? withData(p, { distanceKm: 21.1 }) : p))],
    ['one more like', [...base, post('2026-11-09T08-00-00Z-like3', { type: LIKE, object: `${FPR}/2026-10-06T14-00-00Z-run` })]],
    ['a new tag', base.map((p) => (p.data.type === STATUS ? withData(p, { tags: ['intro', 'new'] }) : p))],
  ]
  const pagesData = (posts: Post[]) =>
    new Map(planSite({ posts, owner: owner(), templateHash: 't' }).pages.map((p) => [p.path, JSON.stringify(p.data())]))
  const before = pagesData(base)
  for (const [what, after] of edits) {
    const now = pagesData(after)
    const dataChanged = [...new Set([...before.keys(), ...now.keys()])].filter((k) => before.get(k) !== now.get(k)).sort()
    assert.equal(changed(base, after), dataChanged, what)
    assert.ok(dataChanged.length > 0, what)
  }
})

plan('a like changes the liked post page and every list showing it, not unrelated posts', () => {
  const base = everyType()
  const diff = changed(base, [...base, post('2026-11-09T08-00-00Z-like3', { type: LIKE, object: `${FPR}/2026-10-06T14-00-00Z-run` })])
  assert.ok(diff.includes('posts/2026-10-06T14-00-00Z-run/index.html'))
  assert.ok(diff.includes('2026/10/index.html'))
  assert.not.ok(diff.includes('posts/2026-10-02T09-00-00Z-snow/index.html'))
})

plan('the manifest diff writes new and changed outputs, keeps the rest, removes the gone', () => {
  assert.equal(diffOutputs({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' }), { write: ['b', 'd'], keep: ['a'], remove: ['c'] })
  assert.equal(
    diffOutputs({ a: '1' }, { a: '1' }, () => false),
    { write: ['a'], keep: [], remove: [] },
  )
})

fmt.run()
urls.run()
plan.run()
