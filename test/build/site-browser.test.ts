// The public site as a person sees it: every post type rendered in headless Chromium, served over real HTTP.
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { CHROMIUM, need, testIf } from '../helpers/tools.ts'
import { everyType, render, serveStatic, siteDirs, cleanup } from './site-fixtures.ts'

const browserSuite = suite('site in a browser')
const t = testIf(browserSuite, need.chromium())
const ctx: { browser?: Browser; server?: { url: string; close: () => Promise<void> }; page?: Page } = {}

browserSuite.before(async () => {
  if (!need.chromium().ok) return
  const d = await siteDirs()
  await render(d, everyType())
  ctx.server = await serveStatic(path.resolve(d.out))
  const { chromium } = await import('playwright-core')
  ctx.browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  ctx.page = await ctx.browser.newPage()
})

browserSuite.after(async () => {
  await ctx.browser?.close()
  await ctx.server?.close()
  await cleanup()
})

const open = async (_: typeof ctx, p: string) => {
  const res = await ctx.page!.goto(ctx.server!.url + p)
  assert.is(res?.status(), 200, `GET ${p}`)
  return ctx.page!
}

t('an image post shows the picture, decoded, with its alt text', async () => {
  const page = await open(ctx, '/posts/2026-10-02T09-00-00Z-snow/')
  const img = page.locator('img.u-photo')
  assert.is(await img.getAttribute('alt'), 'Snow on a red roof')
  await img.evaluate((el: HTMLImageElement) => el.decode())
  assert.is(await img.evaluate((el: HTMLImageElement) => el.naturalWidth), 2)
})

t('a link post shows a card to the page, and a javascript: link is only text', async () => {
  let page = await open(ctx, '/posts/2026-10-03T10-00-00Z-link/')
  const card = page.locator('.link-card a')
  assert.is(await card.getAttribute('href'), 'https://example.com/article')
  assert.match(await card.innerText(), 'A good article')
  assert.match(await card.innerText(), 'example.com')
  page = await open(ctx, '/posts/2026-10-03T11-00-00Z-badlink/')
  assert.is(await page.locator('a[href^="javascript:"]').count(), 0)
  assert.match(await page.locator('.link-card').innerText(), 'javascript:alert(1)')
})

t('an event shows its date, time and place as the author wrote them', async () => {
  const page = await open(ctx, '/posts/2026-10-05T13-00-00Z-party/')
  const text = await page.locator('.event-card').innerText()
  assert.match(text, 'Sat 19 December 2026, 19:30')
  assert.match(text, '23:00')
  assert.match(text, 'The old barn, Lindenweg 3')
  assert.is(await page.locator('h1.p-name').innerText(), 'Winter party')
})

t('a location shows its coordinates and links to OpenStreetMap', async () => {
  const page = await open(ctx, '/posts/2026-10-04T12-00-00Z-place/')
  assert.match(await page.locator('.location-card').innerText(), '52.52000° N, 13.40500° E')
  const href = await page.locator('a.map-link').getAttribute('href')
  assert.is(href, 'https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=15/52.52/13.405')
})

t('an activity shows distance, a readable duration and elevation', async () => {
  const page = await open(ctx, '/posts/2026-10-06T14-00-00Z-run/')
  const text = await page.locator('.activity-card').innerText()
  for (const s of ['Run', '10.5 km', '52 min 30 s', '120 m']) assert.match(text, s)
})

t('comments appear under their post, and the post shows how many likes it has', async () => {
  const page = await open(ctx, '/posts/2026-10-01T08-00-00Z-hello/')
  const comments = page.locator('article.h-entry > .comments .comment')
  assert.is(await comments.count(), 1)
  assert.match(await comments.innerText(), 'Replying to myself')
  assert.match(await page.locator('.likes').innerText(), '2 likes')
  const reply = await open(ctx, '/posts/2026-11-01T15-00-00Z-reply/')
  assert.is(await reply.locator('a.u-in-reply-to').getAttribute('href'), '/posts/2026-10-01T08-00-00Z-hello/')
})

t('user-written markup is shown as text and never runs', async () => {
  for (const p of ['/posts/2026-10-01T08-00-00Z-hello/', '/posts/2026-10-03T11-00-00Z-badlink/', '/', '/2026/10/']) {
    const page = await open(ctx, p)
    await page.waitForTimeout(50)
    assert.is(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, p)
    assert.is(await page.locator('main script').count(), 0, p)
  }
  const page = await open(ctx, '/posts/2026-10-01T08-00-00Z-hello/')
  assert.match(await page.locator('main').innerText(), '<script>window.__xss = 1</script>')
})

t('home, month archive, tag page and about page link together', async () => {
  let page = await open(ctx, '/')
  assert.is(await page.locator('.h-feed > article.h-entry').count(), 11)
  page = await open(ctx, '/archive/')
  assert.is(await page.locator('.months a').count(), 2)
  page = await open(ctx, '/2026/10/')
  assert.is(await page.locator('article.h-entry.entry').count(), 7)
  assert.is(await page.locator('a[rel=next]').getAttribute('href'), '/2026/11/')
  page = await open(ctx, '/tags/life/')
  assert.is(await page.locator('article.h-entry.entry').count(), 2)
  page = await open(ctx, '/about/')
  assert.match(await page.locator('.fingerprint').innerText(), 'A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 1234 5678')
  assert.is(await page.locator('.qr svg').count(), 1)
  assert.is(await page.locator('a.u-key').getAttribute('href'), '/key.asc')
  assert.match(await page.evaluate(async () => (await fetch('/key.asc')).text()), 'BEGIN PGP PUBLIC KEY BLOCK')
})

t('pages fit a phone screen without sideways scrolling', async () => {
  await ctx.page!.setViewportSize({ width: 360, height: 740 })
  for (const p of ['/', '/posts/2026-10-06T14-00-00Z-run/', '/about/', '/posts/2026-10-01T08-00-00Z-hello/']) {
    const page = await open(ctx, p)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `${p} overflows by ${overflow}px`)
  }
  await ctx.page!.setViewportSize({ width: 1280, height: 800 })
  const page = await open(ctx, '/')
  const width = await page.locator('main').evaluate((el) => el.getBoundingClientRect().width)
  assert.ok(width < 900, 'a readable column on desktop')
})

t('feed.xml is well-formed Atom a browser XML parser accepts', async () => {
  const page = await open(ctx, '/')
  const r = await page.evaluate(async () => {
    const xml = await (await fetch('/feed.xml')).text()
    const doc = new DOMParser().parseFromString(xml, 'application/xml')
    const A = 'http://www.w3.org/2005/Atom'
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.namespaceURI,
      entries: doc.getElementsByTagNameNS(A, 'entry').length,
      self: [...doc.getElementsByTagNameNS(A, 'link')].some((l) => l.getAttribute('rel') === 'self'),
    }
  })
  assert.equal(r, { error: 0, root: 'http://www.w3.org/2005/Atom', entries: 11, self: true })
})

browserSuite.run()
