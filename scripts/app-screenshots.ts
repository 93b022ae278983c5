// Screenshots of every view of the app, desktop and phone, for docs/app.md. Run: node --import tsx scripts/app-screenshots.ts
// Builds two real feeds (Sam and his friend Alice), syncs, starts the app and drives Chromium through it.
import fs from 'node:fs/promises'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { startApp } from '../src/app/start.ts'
import { CHROMIUM } from '../test/helpers/tools.ts'
import { REPO } from '../test/helpers/index.ts'
import { pair } from '../test/app/fixture.ts'

const OUT = path.join(REPO, 'docs/app')
const p = await pair({ rich: true })
const ids = await p.sam.inbox('alice')
const aliceFpr = p.alice.fingerprint
const view = ids.find((s) => s.includes('view'))!
await p.sam.post({ type: 'comment', inReplyTo: `${aliceFpr}/${view}`, text: 'Wow, what a light! Which ridge is that?', to: ['alice'] })
await p.sam.post({ type: 'like', object: `${aliceFpr}/${view}`, to: ['alice'] } as never)
const app = await startApp({ layout: p.sam.layout, port: 0, autoBuild: false })
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
})
await fs.mkdir(OUT, { recursive: true })
const shots: string[] = []
try {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await browser.newContext({
        viewport,
        colorScheme: scheme,
        deviceScaleFactor: 1,
        locale: 'en-GB',
        timezoneId: 'Europe/Zurich',
      })
      const page = await ctx.newPage()
      await page.goto(app.newLoginUrl())
      await page.locator('article.entry').first().waitFor()
      const snap = async (name: string) => {
        await page.waitForLoadState('networkidle')
        await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))))
        const file = `${name}-${device}${scheme === 'dark' ? '-dark' : ''}.png`
        await page.screenshot({ path: path.join(OUT, file), fullPage: false })
        shots.push(file)
      }
      await snap('home')
      if (scheme === 'dark') {
        await ctx.close()
        continue
      }
      await page.goto(`${app.url}/post/${aliceFpr}/${view}`)
      await page.locator('article.entry.focus, article.entry').first().waitFor()
      await snap('post')
      await page.goto(`${app.url}/friend/alice`)
      await page.locator('article.entry').first().waitFor()
      await snap('friend')
      await page.goto(`${app.url}/search?q=${encodeURIComponent('#garden')}`)
      await page.locator('article.entry').first().waitFor()
      await snap('search')
      await page.goto(`${app.url}/write`)
      await page.getByLabel('Write a post').waitFor()
      await page.getByRole('radio', { name: 'Event' }).check({ force: true })
      await page.getByLabel('Event name').fill('Lantern walk')
      await page.getByLabel('Write a post').fill('')
      await page.getByRole('button', { name: 'Post' }).click()
      await page.locator('.problem:not([hidden])').first().waitFor()
      await snap('write')
      await ctx.close()
    }
  }
} finally {
  await browser.close()
  await app.close()
  await p.close()
}
console.log(`wrote ${shots.length} screenshots to ${path.relative(REPO, OUT)}/: ${shots.join(', ')}`)
