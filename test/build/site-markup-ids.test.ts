// docs/build.md, kept true: every h-entry has a name and a content (a like reads "Ada liked …", a post without text
// gets them from its card or picture), and without `url:` the outbox and JSON Feed carry only absolute identifiers.
import fs from 'node:fs/promises'
import path from 'node:path'
import { mf2 } from 'microformats-parser'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  ACTIVITY,
  cleanup,
  EVENT,
  everyType,
  FRIEND,
  FPR,
  IMAGE,
  LIKE,
  LINK,
  LOCATION,
  owner,
  post,
  render,
  siteDirs,
} from './site-fixtures.ts'

const test = suite('site: h-entry names and absolute ids')
test.after(cleanup)

interface Item {
  type: string[]
  properties: Record<string, unknown[]>
  children?: Item[]
}

const textless = () => [
  post('2026-10-07T08-00-00Z-bare-image', {
    type: IMAGE,
    attachments: [{ path: 'snow.png', mediaType: 'image/png', alt: 'Snow on a red roof' }],
  }),
  post('2026-10-07T09-00-00Z-bare-link', { type: LINK, url: 'https://example.com/a' }),
  post('2026-10-07T10-00-00Z-bare-place', { type: LOCATION, lat: 1.5, lon: 2.5 }),
  post('2026-10-07T11-00-00Z-bare-event', { type: EVENT, name: 'Meetup', start: '2026-12-01T18:00:00Z' }),
  post('2026-10-07T12-00-00Z-bare-run', { type: ACTIVITY, activity: 'run', distanceKm: 5 }),
  post('2026-10-07T13-00-00Z-friend-like', { type: LIKE, object: `${FRIEND}/2026-11-01T00-00-00Z-their-post` }),
]

const text = (v: unknown): string => (typeof v === 'string' ? v : ((v as { value?: string })?.value ?? ''))

test('every h-entry on every post page has a non-empty p-name and e-content; a like reads "Ada liked …"', async () => {
  const d = await siteDirs()
  const posts = [...everyType(), ...textless()]
  await render(d, posts)
  for (const p of posts) {
    const rel = `posts/${p.stem}/index.html`
    const html = await fs.readFile(path.join(d.out, rel), 'utf8')
    const doc = mf2(html, { baseUrl: `https://ada.example.org/posts/${p.stem}/` }) as unknown as { items: Item[] }
    const entry = doc.items.find((i) => i.type.includes('h-entry'))!
    assert.ok(entry, rel)
    const name = text(entry.properties.name?.[0]).trim()
    const content = text(entry.properties.content?.[0]).trim()
    assert.ok(name, `${p.stem} has no p-name`)
    assert.ok(content, `${p.stem} has no e-content`)
    if (p.data.type === LIKE) assert.match(name, /^Ada Example liked /, p.stem)
  }
  const like = await fs.readFile(path.join(d.out, 'posts/2026-11-02T16-00-00Z-like/index.html'), 'utf8')
  const entry = (mf2(like, { baseUrl: 'https://ada.example.org/' }) as unknown as { items: Item[] }).items.find((i) =>
    i.type.includes('h-entry'),
  )!
  assert.is(text(entry.properties.name[0]), 'Ada Example liked Hello world.')
  assert.equal(entry.properties['like-of'], ['https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/'])
  const image = await fs.readFile(path.join(d.out, 'posts/2026-10-07T08-00-00Z-bare-image/index.html'), 'utf8')
  const img = (mf2(image, { baseUrl: 'https://ada.example.org/' }) as unknown as { items: Item[] }).items.find((i) =>
    i.type.includes('h-entry'),
  )!
  assert.is(text(img.properties.name[0]).trim(), 'Snow on a red roof')
})

test('without url: outbox ids are urn:peerfeed: ids and JSON Feed has no relative home_page_url/feed_url', async () => {
  const d = await siteDirs()
  await render(d, [...everyType(), ...textless()], { owner: owner({ url: undefined }) })
  const box = JSON.parse(await fs.readFile(path.join(d.out, 'outbox.json'), 'utf8')) as {
    id: string
    orderedItems: { id: string; actor: string; object: string | { id: string } }[]
  }
  const ids = [box.id, ...box.orderedItems.flatMap((i) => [i.id, i.actor, typeof i.object === 'string' ? i.object : i.object?.id])].filter(
    (x) => x !== undefined,
  )
  assert.ok(ids.length > 20)
  for (const id of ids) assert.match(id, /^urn:peerfeed:[0-9a-f]{40}(:|#|$)/, id)
  const like = box.orderedItems.find((i) => i.id.includes('-like#'))!
  assert.is(like.object, `urn:peerfeed:${FPR}:2026-10-01T08-00-00Z-hello`)
  const feed = JSON.parse(await fs.readFile(path.join(d.out, 'feed.json'), 'utf8')) as Record<string, unknown> & { items: { id: string }[] }
  for (const k of ['home_page_url', 'feed_url']) assert.is(feed[k], undefined, k)
  for (const item of feed.items) assert.match(item.id, /^urn:peerfeed:/)

  const withUrl = await siteDirs()
  await render(withUrl, everyType())
  const feed2 = JSON.parse(await fs.readFile(path.join(withUrl.out, 'feed.json'), 'utf8')) as Record<string, string>
  assert.is(feed2.home_page_url, 'https://ada.example.org/')
  assert.is(feed2.feed_url, 'https://ada.example.org/feed.json')
})

test.run()
