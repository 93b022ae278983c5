// Screenshots of the app's friends, groups, key, notifications, sync and device views, desktop and phone, for
// docs/app.md. Run: node --import tsx scripts/people-screenshots.ts (real feeds, a real sync, Chromium).
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { startApp } from '../src/app/start.ts'
import { CHROMIUM } from '../test/helpers/tools.ts'
import { REPO } from '../test/helpers/index.ts'
import { makeFeed } from '../test/helpers/peers.ts'
import { pair } from '../test/app/fixture.ts'

const OUT = path.join(REPO, 'docs/app')
const p = await pair({ rich: true })
const carol = await makeFeed('carol')
await carol.befriend(p.sam)
await carol.post({ text: 'Carol here, hello Sam!', to: ['sam'] })
await carol.build()
const carolUrl = (await carol.serve()).url
await p.sam.befriend(carol)
await p.sam.follow('carol', carolUrl)
// Erin is not a friend yet: the Add a friend view shows her key for confirming
const erin = await makeFeed('erin')
await erin.build()
const erinUrl = (await erin.serve()).url
const silent = net.createServer((c) => c.on('error', () => {}))
await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
const dave = await makeFeed('dave')
await p.sam.befriend(dave)
await p.sam.follow('dave', `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`)
await p.sam.group('hikers', ['alice', 'carol'])
const mine = await p.sam.post({ text: 'Who is up for a hike on Saturday?', to: ['hikers'] })
await p.alice.post({ type: 'comment', inReplyTo: `${p.sam.fingerprint}/${mine}`, text: 'Count me in!', to: ['sam'] })
await p.alice.post({ type: 'like', object: `${p.sam.fingerprint}/${mine}`, to: ['sam'] } as never)
await p.alice.build()
const app = await startApp({
  layout: p.sam.layout,
  port: 0,
  autoBuild: false,
  sync: { intervalMs: 15 * 60_000, lan: false, dht: false, reachMs: 3000 },
  lan: { host: '127.0.0.2', port: 0 },
})
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
})
await fs.mkdir(OUT, { recursive: true })
const shots: string[] = []
try {
  // one sync first, so friends show their last sync and the notifications are in
  const setup = await browser.newContext()
  const sp = await setup.newPage()
  await sp.goto(app.newLoginUrl())
  await sp.goto(`${app.url}/friends`)
  await sp.getByRole('button', { name: 'Sync now' }).click()
  await sp
    .locator('.sync-progress li[data-name="dave"]')
    .getByText(/failed/)
    .waitFor({ timeout: 30_000 })
  // a paired phone, so Devices lists one
  await sp.goto(`${app.url}/devices`)
  await sp.getByLabel('Device name').fill('Sam’s phone')
  await sp.getByRole('button', { name: 'Pair a device' }).click()
  const shortUrl = (await sp.locator('#pairing a.short-link').getAttribute('href'))!
  const phoneCtx = await browser.newContext()
  await (await phoneCtx.newPage()).goto(shortUrl)
  await setup.close()

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/Zurich' })
    const page = await ctx.newPage()
    await page.goto(app.newLoginUrl())
    await page.locator('#view > *').first().waitFor()
    const snap = async (name: string, pg: Page = page) => {
      await pg.waitForLoadState('networkidle')
      await pg.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))))
      const file = `${name}-${device}.png`
      await pg.screenshot({ path: path.join(OUT, file), fullPage: false })
      shots.push(file)
    }
    await page.goto(`${app.url}/friends`)
    await page.locator('li.friend').first().waitFor()
    await snap('friends')
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.locator('.sync-progress li[data-name="carol"]').getByText(/^done/).waitFor()
    await snap('sync-now')
    await page.goto(`${app.url}/friends/add`)
    await page.getByLabel('Their feed address').fill(erinUrl)
    await page.getByRole('button', { name: 'Show their key' }).click()
    await page.getByRole('heading', { name: "Is this your friend's key?" }).waitFor()
    await page.getByRole('button', { name: 'Confirm and add' }).scrollIntoViewIfNeeded()
    await snap('add-friend')
    await page.goto(`${app.url}/groups`)
    await page.getByRole('heading', { name: 'hikers' }).waitFor()
    await snap('groups')
    await page.goto(`${app.url}/me`)
    await page.locator('img.qr').waitFor()
    await snap('my-key')
    await page.goto(`${app.url}/notifications`)
    await page.locator('li.notification, li.empty').first().waitFor()
    await snap('notifications')
    await page.goto(`${app.url}/devices`)
    await page.getByLabel('Device name').fill('Kitchen tablet')
    await page.getByRole('button', { name: 'Pair a device' }).click()
    await page.locator('#pairing img.qr').waitFor()
    await snap('devices')
    const stranger = await browser.newContext({ viewport })
    const sPage = await stranger.newPage()
    await sPage.goto(`${app.lanUrl}/`)
    await sPage.getByRole('heading', { name: 'Pair this device' }).waitFor()
    await snap('pair-page', sPage)
    await stranger.close()
    await ctx.close()
  }
  await phoneCtx.close()
} finally {
  await browser.close()
  await app.close()
  silent.close()
  await p.close()
  await carol.close()
  await dave.close()
  await erin.close()
}
console.log(`wrote ${shots.length} screenshots to ${path.relative(REPO, OUT)}/: ${shots.join(', ')}`)
