// The app with a real friend: Alice's own server, `peerfeed sync` run beside the app, her new post appearing in the
// open page without a reload, and Reply / Like on it writing files addressed to her; the app's own build then
// carries them to her pages, and her sync receives them.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { parse } from 'yaml'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { cli } from '../helpers/index.ts'
import { need, testIf } from '../helpers/tools.ts'
import { launch, loggedIn } from './browser.ts'
import { pair, type Pair } from './fixture.ts'

const s = suite('app with a friend in Chromium')
const t = testIf(s, need.chromium())
const ctx: { browser?: Browser; app?: RunningApp; p?: Pair; page?: Page } = {}

s.before(async () => {
  if (!need.chromium().ok) return
  ctx.p = await pair()
  ctx.app = await startApp({ layout: ctx.p.sam.layout, port: 0 })
  ctx.browser = await launch()
  ctx.page = (await loggedIn(ctx.browser, ctx.app.newLoginUrl())).page
})
s.after(async () => {
  await ctx.browser?.close()
  await ctx.app?.close()
  await ctx.p?.close()
})

async function mine(): Promise<Record<string, any>[]> {
  const files = (await fs.readdir(ctx.p!.sam.layout.feed, { recursive: true }).catch(() => [] as string[])).filter((f) =>
    f.endsWith('.yaml'),
  )
  return Promise.all(
    files.map(async (f) => ({
      stem: path.basename(f, '.yaml'),
      ...parse(await fs.readFile(path.join(ctx.p!.sam.layout.feed, f), 'utf8')),
    })),
  )
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

t("a friend's new post, fetched by `peerfeed sync` beside the app, appears in the open page without a reload", async () => {
  const page = ctx.page!
  await page.getByText('the spare key is under the blue pot').waitFor()
  await page.evaluate(() => {
    ;(window as unknown as { __same: number }).__same = 1
  })
  await ctx.p!.alice.post({ text: 'Fresh bread at the corner bakery' })
  await ctx.p!.alice.build()
  const r = await cli(['sync', '--root', ctx.p!.sam.layout.root])
  assert.is(r.code, 0, r.stderr)
  const entry = page.locator('article.entry', { hasText: 'Fresh bread' })
  await entry.waitFor({ timeout: 30_000 })
  assert.is(await page.evaluate(() => (window as unknown as { __same?: number }).__same), 1, 'the page was not reloaded')
  assert.match(await entry.locator('.who').innerText(), 'alice')
})

t('Reply and Like on her post write a comment and a like addressed to her alone', async () => {
  const page = ctx.page!
  const entry = page.locator('.feed > article.entry', { hasText: 'Fresh bread' })
  const id = await entry.getAttribute('data-id')
  assert.ok(id?.startsWith(`${ctx.p!.alice.fingerprint}/`))
  await entry.getByRole('button', { name: 'Reply' }).click()
  await entry.getByLabel('Write a reply to alice').fill('Save me a loaf!')
  assert.equal(await entry.locator('.reply-form select').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value)), [
    'alice',
  ])
  await entry.getByRole('button', { name: 'Send reply' }).click()
  await entry.locator('.thread article', { hasText: 'Save me a loaf!' }).waitFor()
  const reply = (await mine()).find((p) => p.type === 'comment')!
  assert.equal([reply.inReplyTo, reply.to, reply.text], [id, ['alice'], 'Save me a loaf!'])

  await entry.getByRole('button', { name: 'Like' }).first().click()
  await until('the like', async () => (await entry.getByRole('button', { name: 'Like' }).first().getAttribute('aria-pressed')) === 'true')
  const like = (await mine()).find((p) => p.type === 'like')!
  assert.equal([like.object, like.to], [id, ['alice']])
  assert.match(await page.locator('.feed > article.entry', { hasText: 'Fresh bread' }).locator('.likes').innerText(), 'Sam')
})

t("a reply to my own post goes to that post's audience", async () => {
  const page = ctx.page!
  await page.getByLabel('Write a post').fill('Family dinner at eight')
  await page.getByLabel('Audience').selectOption(['family'])
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  const entry = page.locator('.feed > article.entry', { hasText: 'Family dinner' })
  await entry.getByRole('button', { name: 'Reply' }).click()
  await entry.getByLabel('Write a reply to Sam').fill('Bring candles')
  await entry.getByRole('button', { name: 'Send reply' }).click()
  await entry.locator('.thread article', { hasText: 'Bring candles' }).waitFor()
  const reply = (await mine()).find((p) => p.text === 'Bring candles')!
  assert.equal(reply.to, ['family'])
})

t('the app rebuilds by itself: my reply reaches Alice through her next sync, the public post reaches the site', async () => {
  const page = ctx.page!
  await page.getByLabel('Write a post').fill('Hello world from the app')
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  const stem = await until('the post file', async () => (await mine()).find((p) => p.text === 'Hello world from the app')?.stem)
  await until('the public site page', async () =>
    fs.access(path.join(ctx.p!.sam.layout.dist, 'posts', stem, 'index.html')).then(
      () => true,
      () => false,
    ),
  )
  const server = await ctx.p!.sam.serve()
  await ctx.p!.alice.follow('sam', server.url)
  // sync gives each route a short deadline; on a loaded machine a second run finishes what the first did not
  let summary: unknown
  let got: string[] = []
  for (let i = 0; i < 3 && !got.includes(stem); i++) {
    summary = await ctx.p!.alice.sync()
    got = await ctx.p!.alice.inbox('sam')
  }
  assert.ok(
    got.some((x) => x.includes('save-me-a-loaf')),
    `Alice has the reply: ${got.join(', ')}`,
  )
  assert.ok(
    got.some((x) => x === stem),
    `and the public post ${stem}: ${got.join(', ')} ${JSON.stringify(summary)}`,
  )
  // the like of Alice's post came with it, so her site can count it
  assert.ok(
    got.some((x) => x.includes('like') || x.includes('fresh-bread')),
    got.join(', '),
  )
})

t('deleting my reply in the app reaches Alice as a deletion on her next sync', async () => {
  const page = ctx.page!
  await page.goto(`${ctx.app!.url}/`)
  const reply = page.locator('.thread article.entry', { hasText: 'Save me a loaf!' })
  await reply.waitFor()
  page.once('dialog', (d) => void d.accept())
  await reply.getByRole('button', { name: 'Delete' }).click()
  await reply.waitFor({ state: 'detached' })
  assert.not.ok((await mine()).some((p) => p.text === 'Save me a loaf!'))
  let got: string[] = []
  for (let i = 0; i < 60; i++) {
    await ctx.p!.alice.sync()
    got = await ctx.p!.alice.inbox('sam')
    if (!got.some((x) => x.includes('save-me-a-loaf'))) break
    await new Promise((r) => setTimeout(r, 500)) // the app's build after the delete may still be running
  }
  assert.not.ok(
    got.some((x) => x.includes('save-me-a-loaf')),
    `the reply is gone from Alice's inbox: ${got.join(', ')}`,
  )
})

s.run()
