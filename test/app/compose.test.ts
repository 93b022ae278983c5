// Writing from the app in Chromium: every post type from the composer becomes a valid, committed file under feed/,
// problems show beside their field, pictures round-trip, my posts can be edited and deleted.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { parse } from 'yaml'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { parsePost } from '../../src/posts/parse-post.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'
import { launch, loggedIn } from './browser.ts'
import './fixture.ts'
import { landscapePng } from './picture.ts'

const s = suite('app composer in Chromium')
const t = testIf(s, need.chromium())
const ctx: { browser?: Browser; app?: RunningApp; sam?: TestFeed; alice?: TestFeed; page?: Page } = {}

s.before(async () => {
  if (!need.chromium().ok) return
  ctx.sam = await makeFeed('sam')
  ctx.alice = await makeFeed('alice')
  await ctx.sam.befriend(ctx.alice)
  await ctx.sam.group('family', ['alice'])
  ctx.app = await startApp({ layout: ctx.sam.layout, port: 0, autoBuild: false })
  ctx.browser = await launch()
  ctx.page = (await loggedIn(ctx.browser, ctx.app.newLoginUrl())).page
})
s.after(async () => {
  await ctx.browser?.close()
  await ctx.app?.close()
  await ctx.sam?.close()
  await ctx.alice?.close()
})

const root = () => ctx.sam!.layout.root
async function postFiles(): Promise<string[]> {
  const all = await fs.readdir(ctx.sam!.layout.feed, { recursive: true }).catch(() => [] as string[])
  return all
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `feed/${f}`)
    .sort()
}
/** The one file that appeared since `before`, checked like `peerfeed check` would, and committed. */
async function newFile(before: string[]): Promise<Record<string, unknown>> {
  let now: string[] = []
  for (let i = 0; i < 100 && (now = await postFiles()).length === before.length; i++) await new Promise((r) => setTimeout(r, 50))
  const added = now.filter((f) => !before.includes(f))
  assert.is(added.length, 1, `one new file, got ${added.join(', ')}`)
  const text = await fs.readFile(path.join(root(), added[0]), 'utf8')
  assert.equal(parsePost(text, added[0]).problems, [])
  // the file is written before it is committed: the commit follows within the same request, and may wait for a
  // build's git lock on a busy machine
  let tracked = ''
  for (let i = 0; i < 600; i++) {
    tracked = execFileSync('git', ['-C', root(), 'status', '--porcelain', '--', added[0]], { encoding: 'utf8' })
    if (!tracked) break
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.is(tracked, '', `${added[0]} is committed`)
  return parse(text)
}
async function compose(type: string, fill: (p: Page) => Promise<void>) {
  const p = ctx.page!
  await p.goto(`${ctx.app!.url}/`)
  await p.getByRole('radio', { name: type }).check({ force: true })
  await fill(p)
  const before = await postFiles()
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  return newFile(before)
}

t('a status with tags for a group', async () => {
  const data = await compose('Text', async (p) => {
    await p.getByLabel('Write a post').fill('Soup on Sunday, who is in?')
    await p.getByLabel('Tags').fill('food, sunday')
    await p.getByLabel('Audience').selectOption(['family'])
  })
  assert.is(data.type, 'status')
  assert.is(data.text, 'Soup on Sunday, who is in?')
  assert.equal(data.tags, ['food', 'sunday'])
  assert.equal(data.to, ['family'])
  const entry = ctx.page!.locator('article.entry', { hasText: 'Soup on Sunday' })
  await entry.waitFor()
  assert.match(await entry.locator('.audience').innerText(), 'family')
})

t('a link, a place, an event and an activity, each with its own fields', async () => {
  const link = await compose('Link', async (p) => {
    await p.getByLabel('Address').fill('https://example.org/story')
    await p.getByLabel('Page title').fill('A story')
    await p.getByLabel('Write a post').fill('Worth reading')
  })
  assert.equal([link.type, link.url, link.title, link.text], ['link', 'https://example.org/story', 'A story', 'Worth reading'])
  const place = await compose('Place', async (p) => {
    await p.getByLabel('Place name').fill('Old harbour')
    await p.getByLabel('Latitude').fill('53.5438')
    await p.getByLabel('Longitude').fill('9.9661')
  })
  assert.equal([place.type, place.lat, place.lon, place.place], ['location', 53.5438, 9.9661, 'Old harbour'])
  const event = await compose('Event', async (p) => {
    await p.getByLabel('Event name').fill('Lantern walk')
    await p.getByLabel('Starts').fill('2026-12-12T18:30')
    await p.getByLabel('Ends').fill('2026-12-12T20:00')
    await p.getByLabel('Where').fill('Town square')
  })
  assert.is(event.type, 'event')
  assert.is(event.name, 'Lantern walk')
  assert.match(String(event.start), /^2026-12-12T18:30:00[+-]\d\d:\d\d$/)
  assert.is(event.location, 'Town square')
  const run = await compose('Activity', async (p) => {
    await p.getByLabel('Kind of activity').fill('run')
    await p.getByLabel('Distance (km)').fill('10.5')
    await p.getByLabel('Time (h:mm)').fill('0:52')
    await p.getByLabel('Climb (m)').fill('120')
  })
  assert.equal([run.type, run.activity, run.distanceKm, run.duration, run.elevationM], ['activity', 'run', 10.5, 'PT52M', 120])
  await ctx.page!.locator('article.entry', { hasText: 'Distance' }).waitFor()
  assert.match(await ctx.page!.locator('.activity-card').first().innerText(), '52 min')
})

t('problems are shown beside their field and nothing is written', async () => {
  const p = ctx.page!
  await p.goto(`${ctx.app!.url}/`)
  await p.getByRole('radio', { name: 'Link' }).check({ force: true })
  await p.getByLabel('Address').fill('not a web address')
  const before = await postFiles()
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  const err = p.locator('[data-field=url] .problem')
  await err.waitFor()
  assert.match(await err.innerText(), 'http')
  assert.is(await p.getByLabel('Address').getAttribute('aria-invalid'), 'true')
  await p.getByRole('radio', { name: 'Text' }).check({ force: true })
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  await p.locator('[data-field=text] .problem:not([hidden])').waitFor()
  assert.equal(await postFiles(), before)
})

t('pictures upload, need a description, and come back to the page decoded', async () => {
  const p = ctx.page!
  await p.goto(`${ctx.app!.url}/`)
  await p.getByRole('radio', { name: 'Picture' }).check({ force: true })
  const png = landscapePng(64, 48)
  await p.getByLabel('Pictures').setInputFiles([
    { name: 'hills.png', mimeType: 'image/png', buffer: png },
    { name: 'b.png', mimeType: 'image/png', buffer: landscapePng(32, 24, 2) },
  ])
  await p.getByLabel('Describe picture 2').waitFor()
  await p.getByLabel('Describe picture 1').fill('Green hills')
  await p.getByLabel('Write a post').fill('Two views')
  const before = await postFiles()
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  await p.locator('.preview .problem:not([hidden])').waitFor()
  assert.equal(await postFiles(), before, 'a picture without a description is not posted')
  await p.getByLabel('Describe picture 2').fill('A smaller view')
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  const data = await newFile(before)
  const atts = data.attachments as { path: string; alt: string; mediaType: string; sha256: string }[]
  assert.equal(
    atts.map((a) => [a.alt, a.mediaType]),
    [
      ['Green hills', 'image/png'],
      ['A smaller view', 'image/png'],
    ],
  )
  const dir = path.dirname(path.join(root(), (await postFiles()).find((f) => f.includes('two-views'))!))
  assert.ok((await fs.readFile(path.join(dir, atts[0].path))).equals(png), 'the bytes on disk are the uploaded bytes')
  const img = p.locator('article.entry', { hasText: 'Two views' }).locator('img').first()
  await img.waitFor()
  assert.is(await img.getAttribute('alt'), 'Green hills')
  await img.evaluate((el: HTMLImageElement) => el.decode())
  assert.is(await img.evaluate((el: HTMLImageElement) => el.naturalWidth), 64)
  assert.equal(await fs.readdir(path.join(ctx.sam!.layout.state, 'uploads')), [], 'uploads are cleared once posted')
})

t('edit keeps the file name and sets updated; delete removes the file in a commit', async () => {
  const p = ctx.page!
  await p.goto(`${ctx.app!.url}/`)
  await p.getByLabel('Write a post').fill('Typo in this psot')
  const before = await postFiles()
  await p.getByRole('button', { name: 'Post', exact: true }).click()
  await newFile(before)
  const file = (await postFiles()).find((f) => f.includes('typo'))!
  const entry = p.locator('article.entry', { hasText: 'Typo in this' })
  await entry.getByRole('button', { name: 'Edit' }).click()
  await entry.getByLabel('Text').fill('Typo in this post, fixed')
  await entry.getByRole('button', { name: 'Save' }).click()
  await p.locator('article.entry', { hasText: 'fixed' }).waitFor()
  const edited = parse(await fs.readFile(path.join(root(), file), 'utf8'))
  assert.is(edited.text, 'Typo in this post, fixed')
  assert.ok(edited.updated)
  p.once('dialog', (d) => void d.accept())
  await p.locator('article.entry', { hasText: 'fixed' }).getByRole('button', { name: 'Delete' }).click()
  await p.locator('article.entry', { hasText: 'fixed' }).waitFor({ state: 'detached' })
  assert.not.ok((await postFiles()).includes(file))
  // the page learns of the deletion from the file watcher, possibly before the commit is made
  let log = ''
  for (let i = 0; i < 100 && !/^delete: .*typo/m.test(log); i++) {
    log = execFileSync('git', ['-C', root(), 'log', '--format=%s', '-3'], { encoding: 'utf8' })
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.match(log, /^delete: .*typo/m)
  assert.match(log, /^edit: .*typo/m)
})

s.run()
