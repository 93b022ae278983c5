// The public site as a newcomer publishes it: friends named in replies and likes, links in text, local times,
// a 404 page, relative links under any sub-path without `url:`, absolute ids in the feeds once `url:` is set.
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { saveConfig } from '../../src/identity/index.ts'
import { CHROMIUM, need, testIf } from '../helpers/tools.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('the public site, first run')
const t = testIf(test, need.chromium())
let ada: TestFeed, bob: TestFeed, browser: Browser | undefined, host: { url: string; close: () => Promise<void> }
const stems: Record<string, string> = {}

/** A dumb static host serving `dir` below /sub/ (folders → index.html, anything missing → 404.html with status 404). */
async function serveUnder(dir: string, prefix: string) {
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    css: 'text/css',
    js: 'text/javascript',
    png: 'image/png',
    json: 'application/json',
  }
  const server = http.createServer(async (req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const root = await fs.realpath(dir)
    let file = p.startsWith(prefix) ? path.join(root, p.slice(prefix.length)) : ''
    if (file && !file.startsWith(root)) file = ''
    if (file && p.endsWith('/')) file = path.join(file, 'index.html')
    const body = file ? await fs.readFile(file).catch(() => undefined) : undefined
    if (body) return void res.writeHead(200, { 'content-type': types[file.split('.').pop()!] ?? 'application/octet-stream' }).end(body)
    res.writeHead(404, { 'content-type': types.html }).end(await fs.readFile(path.join(root, '404.html')))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

test.before(async () => {
  ;[ada, bob] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
  await ada.befriend(bob, 'bobby') // a petname of my own: the site must use the name in bob's key instead
  await ada.follow('bobby', 'http://bob.example.net/')
  stems.theirs = await bob.post({ text: 'Snow!' }, { now: new Date('2026-11-19T07:00:00Z') })
  stems.reply = await ada.post(
    { type: 'comment', inReplyTo: `${bob.fingerprint}/${stems.theirs}`, text: 'Lovely, see https://example.org/snow.' },
    { now: new Date('2026-11-20T09:00:00Z') },
  )
  stems.like = await ada.post({ type: 'like', object: `${bob.fingerprint}/${stems.theirs}` }, { now: new Date('2026-11-20T09:05:00Z') })
  stems.orphan = await ada.post(
    { type: 'comment', inReplyTo: '2026-01-01T00-00-00Z-never-written', text: 'An answer to nothing' },
    { now: new Date('2026-11-20T09:10:00Z') },
  )
  await ada.build()
  host = await serveUnder(ada.layout.dist, '/sub/')
  if (need.chromium().ok) {
    const { chromium } = await import('playwright-core')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
  }
})
test.after(async () => {
  await browser?.close()
  await host?.close()
  await ada?.close()
  await bob?.close()
})

t("under a sub-path without url: every link and the stylesheet work; times show in the reader's zone, UTC in the markup", async () => {
  const ctx = await browser!.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' })
  const page = await ctx.newPage()
  const res = await page.goto(`${host.url}/sub/`)
  assert.is(res?.status(), 200)
  assert.ok(
    await page.evaluate(
      () =>
        getComputedStyle(document.body).fontFamily !== '' &&
        document.styleSheets.length > 0 &&
        [...document.styleSheets].every((s) => s.cssRules.length > 0),
    ),
    'the stylesheet loads',
  )
  const hrefs = await page.$$eval('a[href]', (as) =>
    as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)),
  )
  assert.ok(hrefs.length > 5)
  for (const h of new Set(hrefs)) {
    assert.ok(h.startsWith(`${host.url}/sub/`), `${h} stays under /sub/`)
    const r = await fetch(h)
    assert.is(r.status, 200, h)
  }
  await page.goto(`${host.url}/sub/posts/${stems.reply}/`)
  const time = page.locator('time.dt-published').first()
  assert.is(await time.getAttribute('datetime'), '2026-11-20T09:00:00Z')
  assert.match(await time.innerText(), /18:00/, 'Tokyo is UTC+9')
  assert.match((await time.getAttribute('title')) ?? '', /09:00 UTC/)
  await ctx.close()
})

t("replies and likes of a friend's post name them by the name in their key and link to their site", async () => {
  const page = await browser!.newPage()
  await page.goto(`${host.url}/sub/posts/${stems.reply}/`)
  const context = await page.locator('p.context').innerText()
  assert.match(context, /In reply to a post by Bob/)
  assert.not.match(context, /bobby|[0-9A-F]{16}/)
  assert.is(await page.locator('p.context a.h-card').getAttribute('href'), 'http://bob.example.net/')
  assert.is(await page.locator('data.u-in-reply-to').getAttribute('value'), `urn:peerfeed:${bob.fingerprint}:${stems.theirs}`)
  await page.goto(`${host.url}/sub/posts/${stems.like}/`)
  assert.match(await page.locator('p.context.like').innerText(), /Ada liked a post by Bob/)
  await page.close()
})

t('URLs in the text are links; a reply to a post that does not exist says so', async () => {
  const page = await browser!.newPage()
  await page.goto(`${host.url}/sub/posts/${stems.reply}/`)
  const a = page.locator('.e-content a')
  assert.is(await a.getAttribute('href'), 'https://example.org/snow')
  assert.is(await a.innerText(), 'https://example.org/snow')
  assert.match(await page.locator('.e-content').innerText(), /snow\.$/, 'the full stop stays text')
  await page.goto(`${host.url}/sub/posts/${stems.orphan}/`)
  assert.match(await page.locator('p.context').innerText(), /In reply to a post that does not exist \(2026-01-01T00-00-00Z-never-written\)/)
  await page.close()
})

t("a missing page gets the site's 404 page, from a static host and from peerfeed serve", async () => {
  const page = await browser!.newPage()
  const res = await page.goto(`${host.url}/sub/no/such/page/`)
  assert.is(res?.status(), 404)
  assert.match(await page.locator('h1').innerText(), /Nothing at this address/)
  const server = await ada.serve()
  const viaServe = await fetch(new URL('no/such/page/', server.url), { headers: { accept: 'text/html' } })
  assert.is(viaServe.status, 404)
  assert.match(await viaServe.text(), /Nothing at this address/)
  const api = await fetch(new URL('no/such/page/', server.url))
  assert.is(api.status, 404)
  assert.ok(((await api.json()) as { error?: unknown }).error, 'programs still get JSON')
  await page.close()
})

test('once url: is set, feeds and outbox.json carry absolute ids and links', async () => {
  await saveConfig(ada.layout, { url: 'https://ada.example.org/feed/' })
  await ada.build()
  const outbox = JSON.parse(await fs.readFile(path.join(ada.layout.dist, 'outbox.json'), 'utf8'))
  assert.is(outbox.id, 'https://ada.example.org/feed/outbox.json')
  for (const item of outbox.orderedItems) assert.match(item.id, /^https:\/\/ada\.example\.org\/feed\/posts\//)
  const json = JSON.parse(await fs.readFile(path.join(ada.layout.dist, 'feed.json'), 'utf8'))
  assert.is(json.home_page_url, 'https://ada.example.org/feed/')
  for (const item of json.items) assert.match(item.url, /^https:\/\/ada\.example\.org\/feed\/posts\//)
  const atom = await fs.readFile(path.join(ada.layout.dist, 'feed.xml'), 'utf8')
  assert.match(atom, /<link rel="alternate" type="text\/html" href="https:\/\/ada\.example\.org\/feed\/posts\//)
})

test.run()
