// `--lan` and pairing in Chromium: the app also serves on a second address (127.0.0.2 stands in for the LAN); there an
// unpaired browser sees only the pairing page; the owner pairs a second browser through the one-time link, it uses the
// app, the owner revokes it, and its next request is refused.
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { need, testIf } from '../helpers/tools.ts'
import { axeProblems, launch, loggedIn } from './browser.ts'
import { pair, type Pair } from './fixture.ts'

const s = suite('pairing a device on the LAN')
const t = testIf(s, need.chromium())
const ctx: { browser?: Browser; app?: RunningApp; p?: Pair } = {}
const LAN = '127.0.0.2'

s.before(async () => {
  if (!need.chromium().ok) return
  ctx.p = await pair()
  ctx.app = await startApp({ layout: ctx.p.sam.layout, port: 0, autoBuild: false, sync: false, lan: { host: LAN, port: 0 } })
  ctx.browser = await launch()
})
s.after(async () => {
  await ctx.browser?.close()
  await ctx.app?.close()
  await ctx.p?.close()
})

t('unpaired, the LAN address serves nothing but the pairing page; the owner login link does not work there', async () => {
  const lan = ctx.app!.lanUrl!
  assert.match(lan, `http://${LAN}:`)
  for (const path of ['/', '/friends', '/static/main.js', '/media/x/y/0']) {
    const r = await fetch(lan + path)
    assert.ok(r.status === 401 || r.status === 404, `${path}: ${r.status}`)
    if (!path.startsWith('/media')) assert.match(await r.text(), /Pair this device|nothing here/)
  }
  const api = await fetch(`${lan}/api/timeline`)
  assert.is(api.status, 401)
  assert.match((await api.json()).error.message, 'pair this device first')
  const owner = ctx.app!.newLoginUrl().replace(ctx.app!.url, lan)
  assert.is((await fetch(owner, { redirect: 'manual' })).status, 404)
  // a Host other than the LAN address is refused (DNS rebinding)
  const u = new URL(lan)
  const status = await new Promise<number>((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: '/pair', headers: { host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      .on('error', reject)
  })
  assert.is(status, 421)
})

t('pair through the one-time link, use the app, then revoke: the next request is refused at once', async () => {
  const owner = await loggedIn(ctx.browser!, ctx.app!.newLoginUrl())
  await owner.page.goto(`${ctx.app!.url}/devices`)
  await owner.page.getByLabel('Device name').fill('Test phone')
  await owner.page.getByRole('button', { name: 'Pair a device' }).click()
  const link = owner.page.locator('#pairing a.short-link')
  await link.waitFor()
  const shortUrl = (await link.getAttribute('href'))!
  assert.match(shortUrl, new RegExp(`^http://${LAN.replace(/\./g, '\\.')}:\\d+/p/[A-Z2-9]{5}-[A-Z2-9]{5}$`))
  assert.match((await owner.page.locator('#pairing img.qr').getAttribute('alt'))!, /pairing link http:\/\/127\.0\.0\.2:\d+\/pair\?token=/)
  assert.equal(await axeProblems(owner.page), [])

  // the phone: a separate browser context at the LAN address, phone-sized
  const phone = await ctx.browser!.newContext({ viewport: { width: 390, height: 844 } })
  const page = await phone.newPage()
  await page.goto(`${ctx.app!.lanUrl}/`)
  await page.getByRole('heading', { name: 'Pair this device' }).waitFor()
  await page.goto(shortUrl)
  await page.getByText('the spare key is under the blue pot').waitFor()
  assert.is(new URL(page.url()).host, new URL(ctx.app!.lanUrl!).host)
  // it uses the app: posts from the phone
  await page.getByRole('link', { name: 'Write' }).click()
  await page.getByLabel('Write a post').fill('Posted from my phone')
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  await page.goto(`${ctx.app!.lanUrl}/`)
  await page.getByText('Posted from my phone').waitFor()
  // the link works once
  const again = await ctx.browser!.newContext()
  const p2 = await again.newPage()
  await p2.goto(shortUrl)
  await p2.getByText('already used').waitFor()
  await again.close()
  // a phone cannot pair or revoke devices itself
  assert.is(await page.evaluate(() => fetch('/api/devices').then((r) => r.status)), 403)

  // the app restarts: the phone stays paired (the owner logs in again with the new link)
  await owner.context.close()
  await ctx.app!.close()
  ctx.app = await startApp({ layout: ctx.p!.sam.layout, port: 0, autoBuild: false, sync: false, lan: { host: LAN, port: 0 } })
  await page.goto(`${ctx.app.lanUrl}/`)
  await page.getByText('Posted from my phone').waitFor()
  const stored = await fs.readFile(path.join(ctx.p!.sam.layout.state, 'app-devices.json'), 'utf8')
  assert.match(stored, 'Test phone')
  const cookie = (await phone.cookies())[0].value
  assert.not.match(stored, cookie, 'the session id itself is not on disk')
  Object.assign(owner, await loggedIn(ctx.browser!, ctx.app.newLoginUrl()))

  // the owner sees it with its last use, and revokes it
  await owner.page.goto(`${ctx.app!.url}/devices`)
  const item = owner.page.locator('li.device', { hasText: 'Test phone' })
  await item.getByText(/last used (now|\d+ min)/).waitFor()
  await item.getByRole('button', { name: 'Revoke Test phone' }).click()
  await owner.page.getByText('No paired devices.').waitFor()
  const status = await page.evaluate(() => fetch('/api/timeline').then((r) => r.status))
  assert.is(status, 401)
  assert.not.match(await fs.readFile(path.join(ctx.p!.sam.layout.state, 'app-devices.json'), 'utf8'), 'Test phone')
  await page.reload()
  await page.getByRole('heading', { name: 'Pair this device' }).waitFor()
  await phone.close()
  await owner.context.close()
})

s.run()
