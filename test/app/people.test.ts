// Friends, groups, blocking, syncing and notifications in the app, driven in Chromium against real feeds and servers.
import net from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'
import { axeProblems, launch, loggedIn } from './browser.ts'
import { pair, type Pair } from './fixture.ts'

const s = suite('friends, groups, sync and notifications in the app')
const t = testIf(s, need.chromium())
const ctx: {
  browser?: Browser
  app?: RunningApp
  p?: Pair
  carol?: TestFeed
  dave?: TestFeed
  page?: Page
  carolUrl?: string
  silent?: net.Server
} = {}

s.before(async () => {
  if (!need.chromium().ok) return
  ctx.p = await pair()
  ;[ctx.carol, ctx.dave] = await Promise.all([makeFeed('carol'), makeFeed('dave')])
  const { sam, alice } = ctx.p
  await ctx.carol.befriend(sam)
  await ctx.dave.befriend(sam)
  await ctx.carol.post({ text: 'Carol says hi to everyone' })
  await ctx.carol.build()
  ctx.carolUrl = (await ctx.carol.serve()).url
  await sam.befriend(ctx.dave)
  // Dave's machine accepts connections and never answers
  ctx.silent = net.createServer((c) => c.on('error', () => {}))
  await new Promise<void>((r) => ctx.silent!.listen(0, '127.0.0.1', r))
  await sam.follow('dave', `http://127.0.0.1:${(ctx.silent.address() as net.AddressInfo).port}/`)
  void alice
  ctx.app = await startApp({
    layout: sam.layout,
    port: 0,
    autoBuild: false,
    sync: { intervalMs: 0, lan: false, dht: false, reachMs: 25_000 },
  })
  ctx.browser = await launch()
  ctx.page = (await loggedIn(ctx.browser, ctx.app.newLoginUrl())).page
})
s.after(async () => {
  await ctx.browser?.close()
  await ctx.app?.close()
  ctx.silent?.close()
  await ctx.p?.close()
  await ctx.carol?.close()
  await ctx.dave?.close()
})

const go = async (path: string) => {
  await ctx.page!.goto(ctx.app!.url + path)
  await ctx.page!.locator('#view > h1').first().waitFor()
}

t("add a friend by their feed URL: the key's name and fingerprint are shown, confirmed, then followed", async () => {
  const page = ctx.page!
  await go('/friends/add')
  await page.getByLabel('Their feed address').fill(ctx.carolUrl!)
  await page.getByRole('button', { name: 'Show their key' }).click()
  await page.getByRole('heading', { name: "Is this your friend's key?" }).waitFor()
  assert.is(await page.locator('.key-name').innerText(), 'Carol')
  assert.is((await page.locator('.key-fingerprint').innerText()).replace(/ /g, '').toLowerCase(), ctx.carol!.fingerprint)
  assert.is(await page.getByLabel('Call them').inputValue(), 'carol')
  assert.equal(await axeProblems(page), [])
  await page.getByRole('button', { name: 'Confirm and add' }).click()
  await page.getByRole('button', { name: 'Follow carol' }).click()
  await page.waitForURL(/\/friends$/)
  const card = page.locator('li.friend', { hasText: 'carol' }).first()
  await card.getByText(`yes — ${ctx.carolUrl}`).waitFor()
  assert.ok((await ctx.p!.sam.inbox('carol')).length === 0, 'nothing synced yet')
  // adding the same key again is refused with the `peer add` reason
  await go('/friends/add')
  await page.getByLabel('Their feed address').fill(ctx.carolUrl!)
  await page.getByRole('button', { name: 'Show their key' }).click()
  await page.getByText('is already your friend "carol"').waitFor()
})

t('`Sync now` with one friend down: the live ones finish while the silent one is still trying, then its error shows', async () => {
  const page = ctx.page!
  await go('/friends')
  await page.getByRole('button', { name: 'Sync now' }).click()
  const line = (name: string) => page.locator(`.sync-progress li[data-name="${name}"]`)
  // generous waits: a loaded machine is slow, and a wait that ends early proves nothing
  await line('carol')
    .getByText(/^done: 1 new/)
    .waitFor({ timeout: 60_000 })
  await line('alice')
    .getByText(/^done:/)
    .waitFor({ timeout: 60_000 })
  // carol's posts are in while dave is still being tried (not given up on; 25 s, under the 30 s a request may take, leaves a loaded machine time)
  assert.not.match(await line('dave').innerText(), /done|failed/)
  await line('dave')
    .getByText(/failed: could not reach dave: url .*: no answer within 25 s/)
    .waitFor({ timeout: 60_000 })
  await page
    .locator('li.friend', { hasText: 'dave' })
    .locator('.last-sync')
    .getByText(/failed .*no answer within 25 s/)
    .waitFor({ timeout: 60_000 })
  assert.equal(await axeProblems(page), [])
  // the new post is on the home timeline
  await go('/')
  await page.getByText('Carol says hi to everyone').waitFor()
})

t('a group of two friends: a post to it reaches exactly those two when their feeds sync', async () => {
  const page = ctx.page!
  const { sam, alice } = ctx.p!
  await go('/groups')
  await page.getByLabel('Group name').fill('hikers')
  const create = page.locator('form', { has: page.getByRole('heading', { name: 'New group' }) })
  await create.getByLabel('alice').check()
  await create.getByLabel('carol').check()
  await page.getByRole('button', { name: 'Create group' }).click()
  await page.getByRole('heading', { name: 'hikers' }).waitFor()
  assert.equal(await axeProblems(page), [])
  await go('/')
  await page.getByLabel('Write a post').fill('Hike on Saturday, hikers only')
  await page.getByLabel('Audience').selectOption(['hikers'])
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  await page.locator('article.entry', { hasText: 'Hike on Saturday' }).waitFor()
  await sam.build()
  const samUrl = (await sam.serve()).url
  for (const f of [alice, ctx.carol!, ctx.dave!]) {
    await f.follow('sam', samUrl)
    const r = await f.sync()
    assert.is(r.failed, 0, JSON.stringify(r.friends[0].error))
  }
  const texts = async (f: TestFeed) => (await f.inbox('sam')).join(' ')
  assert.match(await texts(alice), 'hike-on-saturday')
  assert.match(await texts(ctx.carol!), 'hike-on-saturday')
  assert.not.match(await texts(ctx.dave!), 'hike-on-saturday')
})

t("a friend's comment on my post raises the notification count; seeing it marks it read", async () => {
  const page = ctx.page!
  const { sam, alice } = ctx.p!
  const mine = await sam.post({ text: 'Who wants soup?' })
  await alice.post({ type: 'comment', inReplyTo: `${sam.fingerprint}/${mine}`, text: 'Me please!', to: ['sam'] })
  await alice.build()
  await go('/friends')
  const count = () =>
    page.evaluate(() =>
      fetch('/api/notifications/count')
        .then((r) => r.json())
        .then((j) => j.unread as number),
    )
  const before = await count()
  await page.getByRole('button', { name: 'Sync now' }).click()
  await page
    .locator('.sync-progress li[data-name="alice"]')
    .getByText(/^done: 1 new/)
    .waitFor()
  await page.getByRole('link', { name: new RegExp(`^Notifications\\s*,\\s*${before + 1} unread$`) }).waitFor()
  await page.getByRole('link', { name: /^Notifications/ }).click()
  await page.getByText('replied to your post').first().waitFor()
  await page.getByText('Me please!').waitFor()
  assert.equal(await axeProblems(page), [])
  await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor()
})

t('block a friend: a plain sentence says what it does, and their posts leave my timeline', async () => {
  const page = ctx.page!
  await go('/friends')
  const card = page.locator('li.friend', { hasText: 'carol' }).first()
  assert.match(await card.locator('.hint').last().innerText(), /^Blocking stops sharing with them/)
  await card.getByRole('button', { name: 'Block carol' }).click()
  await card.getByRole('button', { name: 'Unblock carol' }).waitFor()
  await go('/')
  await page.locator('article.entry').first().waitFor()
  assert.is(await page.getByText('Carol says hi to everyone').count(), 0)
  await go('/friends')
  await page.locator('li.friend', { hasText: 'carol' }).getByRole('button', { name: 'Unblock carol' }).click()
  await go('/')
  await page.getByText('Carol says hi to everyone').waitFor()
})

t(
  'my key: name, fingerprint in groups of four, the QR payload of `key --qr`, the key text; no axe problems on a phone in dark mode',
  async () => {
    const { page, context } = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl(), {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    })
    await page.goto(`${ctx.app!.url}/me`)
    await page.locator('.my-fingerprint').waitFor()
    const fp = await page.locator('.my-fingerprint').innerText()
    assert.match(fp, /^([0-9A-F]{4} ){9}[0-9A-F]{4}$/)
    assert.is(await page.locator('img.qr').getAttribute('alt'), `QR code of my key: OPENPGP4FPR:${ctx.p!.sam.fingerprint.toUpperCase()}`)
    assert.match(await page.locator('#my-key').inputValue(), '-----BEGIN PGP PUBLIC KEY BLOCK-----')
    for (const v of ['/me', '/friends', '/groups', '/notifications', '/friends/add']) {
      await page.goto(ctx.app!.url + v)
      await page
        .locator('#view > h1')
        .first()
        .waitFor()
        .catch(async () => assert.unreachable(`${v}: ${await page.locator('body').innerText()}`))
      await page.waitForLoadState('networkidle')
      assert.equal(await axeProblems(page), [], `${v} (390 px, dark)`)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 0, `${v} scrolls sideways by ${overflow}px at 390px`)
    }
    await context.close()
  },
)

s.run()
