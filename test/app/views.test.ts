// The app in Chromium: logging in with the printed link, every view rendered, accessible (axe-core), phone-sized.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { need, testIf } from '../helpers/tools.ts'
import { axeProblems, launch, loggedIn } from './browser.ts'
import { pair, type Pair } from './fixture.ts'

const s = suite('app views in Chromium')
const t = testIf(s, need.chromium())
const ctx: { browser?: Browser; app?: RunningApp; p?: Pair } = {}

s.before(async () => {
  if (!need.chromium().ok) return
  ctx.p = await pair({ rich: true })
  ctx.app = await startApp({ layout: ctx.p.sam.layout, port: 0, autoBuild: false })
  ctx.browser = await launch()
})
s.after(async () => {
  await ctx.browser?.close()
  await ctx.app?.close()
  await ctx.p?.close()
})

t("the printed link logs in, lands on a clean URL, and shows my posts and my friend's", async () => {
  const { page, context } = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl())
  assert.is(new URL(page.url()).pathname, '/')
  assert.not.match(page.url(), 'token')
  await page.getByText('the spare key is under the blue pot').waitFor()
  const entry = page.locator('article.entry', { hasText: 'the spare key' })
  assert.match(await entry.locator('.who').innerText(), 'alice')
  assert.match(await entry.locator('.audience.private').innerText(), 'only you', 'her post for me alone is visibly private')
  assert.ok(await entry.getByRole('button', { name: 'Reply' }).isVisible())
  assert.ok(await entry.getByRole('button', { name: 'Like' }).isVisible())
  const hike = page.locator('article.entry', { hasText: 'Morning walk above the valley' })
  assert.match(await hike.locator('.audience.public').innerText(), 'public')
  const family = page.locator('article.entry', { hasText: 'Soup is on' })
  assert.match(await family.locator('.audience').innerText(), 'family')
  assert.ok(await page.getByLabel('Write a post').isVisible())
  assert.ok(await page.getByRole('button', { name: 'Post', exact: true }).isVisible())
  assert.ok(await page.getByLabel('Audience').isVisible())
  const cookies = await context.cookies()
  assert.is(cookies[0].httpOnly, true)
  assert.is(cookies[0].sameSite, 'Strict')
  await context.close()
})

t("a friend's page shows their key fingerprint, the last sync and only their posts", async () => {
  const { page, context } = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl())
  await page.getByRole('link', { name: 'alice' }).first().click()
  await page.getByRole('heading', { name: 'alice' }).waitFor()
  await page.locator('article.entry').first().waitFor()
  const fpr = ctx.p!.alice.fingerprint.toUpperCase().match(/.{4}/g)!.join(' ')
  assert.is(await page.locator('.fingerprint').innerText(), fpr)
  assert.match(await page.locator('.facts').innerText(), /Last sync\s+\S.*\d/)
  const who = await page.locator('.feed > article.entry .who').allInnerTexts()
  assert.ok(who.length >= 3 && who.every((w) => w === 'alice'), who.join(', '))
  assert.match(page.url(), /\/friend\/alice$/)
  await context.close()
})

t('search finds words, #tags and authors', async () => {
  const { page, context } = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl())
  const search = async (q: string) => {
    await page.goto(`${ctx.app!.url}/search`)
    await page.getByLabel('Search posts').fill(q)
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.locator('.result-count').waitFor()
    return page.locator('.feed > article.entry').allInnerTexts()
  }
  const fog = await search('fog valley')
  assert.is(fog.length, 1)
  assert.match(fog[0], 'Morning walk')
  const garden = await search('#garden')
  assert.is(garden.length, 1)
  assert.match(garden[0], 'Our garden after the rain')
  const fromAlice = await search('from:alice')
  assert.ok(fromAlice.length >= 3 && fromAlice.every((x) => x.startsWith('A\nalice')), fromAlice.join(' | '))
  assert.equal(await search('from:me fog'), [])
  await context.close()
})

t('every view has no serious or critical axe-core violations, light and dark, desktop and phone', async () => {
  const views = [
    '/',
    '/friend/alice',
    '/search?q=%23garden',
    '/write',
    `/post/${ctx.p!.alice.fingerprint}/${(await ctx.p!.sam.inbox('alice')).find((x) => x.includes('view'))}`,
  ]
  for (const [viewport, colorScheme] of [
    [{ width: 1280, height: 900 }, 'light'],
    [{ width: 390, height: 844 }, 'dark'],
  ] as const) {
    const { page, context } = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl(), { viewport, colorScheme })
    for (const v of views) {
      await page.goto(ctx.app!.url + v)
      await page.locator('#view > *').first().waitFor()
      await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'))
      assert.equal(await axeProblems(page), [], `${v} at ${viewport.width}px ${colorScheme}`)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 0, `${v} scrolls sideways by ${overflow}px at ${viewport.width}px`)
    }
    await context.close()
  }
})

s.run()
