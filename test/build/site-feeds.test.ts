// Machine-readable views of the site: Atom, JSON Feed, ActivityStreams outbox, microformats, schemas.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor'
import { mf2 } from 'microformats-parser'
import { atomFeed, escapeXml } from '../../src/build/site/atom.ts'
import { siteView } from '../../src/build/site/plan.ts'
import { FPR, FRIEND, everyType, owner, post, render, siteDirs, STATUS, XSS, cleanup } from './site-fixtures.ts'

const feeds = suite<{ out: string }>('site feeds')

feeds.before(async (ctx) => {
  const d = await siteDirs()
  await render(d, everyType(), { feedSize: 50 })
  ctx.out = d.out
})

const read = (ctx: { out: string }, rel: string) => fs.readFile(path.join(ctx.out, rel), 'utf8')
type Props = Record<string, unknown[]>
type Item = { type: string[]; properties: Props; children?: Item[] }

feeds('feed.xml parses as Atom with every post, newest first, and absolute links', async (ctx) => {
  const xml = await read(ctx, 'feed.xml')
  const feed = extractFromXml(xml, { descriptionMaxLen: 0, getExtraEntryFields: (e) => ({ content: e.content }) })
  assert.is(feed.title, 'Ada Example')
  assert.is(feed.entries?.length, 11)
  const first = feed.entries![0]!
  assert.is(first.link, 'https://ada.example.org/posts/2026-11-04T18-00-00Z-friend-reply/')
  assert.is(first.id, `urn:peerfeed:${FPR}:2026-11-04T18-00-00Z-friend-reply`)
  assert.is(first.published, '2026-11-04T18:00:00.000Z')
  for (const must of [
    '<id>',
    '<updated>2026-11-04T18:00:00Z</updated>',
    '<author><name>Ada Example</name>',
    'rel="self"',
    'href="https://ada.example.org/feed.xml"',
    'rel="alternate"',
  ]) {
    assert.ok(xml.includes(must), must)
  }
  const image = feed.entries!.find((e) => e.title === 'First snow')!
  const content = image.content as { '#text': string; '@_type': string }
  assert.is(content['@_type'], 'html')
  assert.match(content['#text'], '<img src="https://ada.example.org/posts/2026-10-02T09-00-00Z-snow/snow.png" alt="Snow on a red roof">')
})

feeds('feed.xml stays well-formed whatever the text holds', () => {
  const v = {
    id: `${FPR}/x`,
    type: STATUS,
    slug: 'x',
    url: '/posts/x/',
    title: `bad \u0001 ${XSS} & ]]>`,
    paragraphs: [`\u0000nul \uD800 ${XSS}`],
    published: '2026-01-01T00:00:00Z',
    publishedHuman: '',
    tags: [],
    images: [],
    files: [],
    comments: [],
    commentCount: 0,
    likeCount: 0,
  }
  const xml = atomFeed(siteView(owner({ name: 'A & <B>' })), [v])
  assert.not.match(xml, /[\u0000\u0001]/)
  assert.not.match(xml, '<script>')
  const feed = extractFromXml(xml)
  assert.is(feed.title, 'A & <B>')
  assert.is(escapeXml('"<&>\''), '&quot;&lt;&amp;&gt;&apos;')
})

feeds('feed.json is JSON Feed 1.1 with the same entries', async (ctx) => {
  const json = JSON.parse(await read(ctx, 'feed.json'))
  assert.is(json.version, 'https://jsonfeed.org/version/1.1')
  assert.is(json.feed_url, 'https://ada.example.org/feed.json')
  const feed = extractFromJson(json, { descriptionMaxLen: 0 })
  assert.is(feed.entries?.length, 11)
  const link = json.items.find((i: { external_url?: string }) => i.external_url)
  assert.is(link.external_url, 'https://example.com/article')
  const img = json.items.find((i: { image?: string }) => i.image)
  assert.is(img.image, 'https://ada.example.org/posts/2026-10-02T09-00-00Z-snow/snow.png')
  assert.is(img.attachments[0].mime_type, 'image/png')
  assert.ok(
    json.items.every(
      (i: { content_html: string; content_text: string }) => typeof i.content_html === 'string' && typeof i.content_text === 'string',
    ),
  )
})

feeds('outbox.json is an ActivityStreams collection with one object type per post type', async (ctx) => {
  const outbox = JSON.parse(await read(ctx, 'outbox.json'))
  assert.is(outbox['@context'], 'https://www.w3.org/ns/activitystreams')
  assert.is(outbox.type, 'OrderedCollection')
  assert.is(outbox.totalItems, 11)
  const byUrl = (stem: string) => outbox.orderedItems.find((a: { id: string }) => a.id.includes(stem))
  const obj = (stem: string) => byUrl(stem).object
  assert.is(obj('hello').type, 'Note')
  assert.is(obj('snow').type, 'Image')
  assert.is(obj('snow').url[0].name, 'Snow on a red roof')
  assert.is(obj('-link').attachment[0].type, 'Link')
  assert.is(obj('-link').attachment[0].href, 'https://example.com/article')
  assert.equal([obj('place').type, obj('place').latitude, obj('place').longitude], ['Place', 52.52, 13.405])
  assert.equal(
    [obj('party').type, obj('party').startTime, obj('party').location.name],
    ['Event', '2026-12-19T19:30:00+01:00', 'The old barn, Lindenweg 3'],
  )
  assert.is(obj('run').type, 'Note')
  assert.match(obj('run').content, '10.5 km')
  assert.is(obj('00Z-reply/').inReplyTo, 'https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/')
  assert.is(obj('friend-reply').inReplyTo, `urn:peerfeed:${FRIEND}:2026-11-01T00-00-00Z-their-post`)
  const like = byUrl('-like/')
  assert.equal([like.type, like.object], ['Like', 'https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/'])
  assert.is(outbox.orderedItems[0].published, '2026-11-04T18:00:00Z', 'newest first')
})

feeds('pages carry h-entry microformats: name, content, published, url, author, reply and like targets, events', async (ctx) => {
  const parse = async (rel: string) =>
    mf2(await read(ctx, rel), { baseUrl: 'https://ada.example.org/' + rel.replace('index.html', '') }) as unknown as { items: Item[] }
  const entryOf = (doc: { items: Item[] }) => doc.items.find((i) => i.type.includes('h-entry'))!
  const hello = entryOf(await parse('posts/2026-10-01T08-00-00Z-hello/index.html'))
  assert.ok(hello.properties.name && hello.properties.content && hello.properties.published)
  assert.equal(hello.properties.url, ['https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/'])
  assert.equal(hello.properties.published, ['2026-10-01T08:00:00Z'])
  const author = hello.properties.author![0] as Item
  assert.equal(author.type, ['h-card'])
  assert.equal(author.properties.name, ['Ada Example'])
  assert.equal(
    hello.properties.category,
    ['Intro', 'Life'].map((t) => `#${t}`),
  )
  assert.is((hello.properties.comment as Item[]).length, 1)

  const reply = entryOf(await parse('posts/2026-11-01T15-00-00Z-reply/index.html'))
  assert.equal(reply.properties['in-reply-to'], ['https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/'])
  const like = entryOf(await parse('posts/2026-11-02T16-00-00Z-like/index.html'))
  assert.equal(like.properties['like-of'], ['https://ada.example.org/posts/2026-10-01T08-00-00Z-hello/'])
  const event = entryOf(await parse('posts/2026-10-05T13-00-00Z-party/index.html'))
  assert.ok(event.type.includes('h-event'))
  assert.equal(event.properties.name, ['Winter party'])
  assert.equal(event.properties.start, ['2026-12-19T19:30:00+01:00'])
  assert.equal(event.properties.location, ['The old barn, Lindenweg 3'])
  const image = entryOf(await parse('posts/2026-10-02T09-00-00Z-snow/index.html'))
  assert.equal(image.properties.photo, [
    { value: 'https://ada.example.org/posts/2026-10-02T09-00-00Z-snow/snow.png', alt: 'Snow on a red roof' },
  ])

  const home = await parse('index.html')
  const feed = home.items.find((i) => i.type.includes('h-feed')) as Item
  assert.is(feed.children?.filter((c) => c.type.includes('h-entry')).length, 11)
  const about = await parse('about/index.html')
  const card = about.items.find((i) => i.type.includes('h-card')) as Item
  assert.equal(card.properties.key, ['https://ada.example.org/key.asc'])
})

feeds('post-type schemas and the key are published beside the site', async (ctx) => {
  const names = (await fs.readdir(path.join(ctx.out, 'schemas'))).sort()
  assert.ok(names.includes('status.schema.json') && names.includes('event.schema.json'), names.join())
  JSON.parse(await read(ctx, 'schemas/status.schema.json'))
  assert.match(await read(ctx, 'key.asc'), 'BEGIN PGP PUBLIC KEY BLOCK')
})

feeds('a site without an owner URL links relative to the root', async () => {
  const d = await siteDirs()
  await render(d, [post('2026-10-01T08-00-00Z-a', { type: STATUS, text: 'a' })], { owner: owner({ url: undefined }) })
  const json = JSON.parse(await fs.readFile(path.join(d.out, 'feed.json'), 'utf8'))
  // relative to feed.json itself, which sits at the site's root: right under any sub-path the site is hosted at
  assert.is(json.items[0].url, 'posts/2026-10-01T08-00-00Z-a/')
})

feeds.after(cleanup)
feeds.run()
