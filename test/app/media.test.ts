// Pictures through the app: served from inside the post's own folder only; a friend's post cannot reach my
// secret key with '../' or a symlink, and nothing but images is shown inline.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { login, request } from './http-client.ts'
import './fixture.ts'
import { landscapePng } from './picture.ts'

const test = suite('app media')
const ctx: { feed?: TestFeed; alice?: TestFeed; app?: RunningApp; cookie?: string } = {}

test.before(async () => {
  ctx.feed = await makeFeed('owner')
  ctx.alice = await makeFeed('alice')
  await ctx.feed.befriend(ctx.alice)
  const dir = path.join(ctx.feed.layout.inbox, 'alice', '2026', '11')
  await fs.mkdir(dir, { recursive: true })
  const post = (stem: string, p: string, mediaType = 'image/png') =>
    fs.writeFile(
      path.join(dir, `${stem}.yaml`),
      `type: image\npublished: "2026-11-20T10:00:00Z"\nattachments:\n  - path: ${p}\n    mediaType: ${mediaType}\n    alt: x\n`,
    )
  await fs.writeFile(path.join(dir, 'ok.png'), landscapePng(8, 8))
  await post('2026-11-20T10-00-00Z-ok', 'ok.png')
  await post('2026-11-20T10-00-01Z-escape', '../../../../.peerfeed/self.secret.asc')
  await fs.symlink(ctx.feed.layout.selfSecretKey, path.join(dir, 'link.png'))
  await post('2026-11-20T10-00-02Z-link', 'link.png')
  await fs.writeFile(path.join(dir, 'page.html'), '<script>alert(1)</script>')
  await post('2026-11-20T10-00-03Z-html', 'page.html', 'text/html')
  ctx.app = await startApp({ layout: ctx.feed.layout, port: 0, autoBuild: false })
  ctx.cookie = await login(ctx.app.newLoginUrl())
})
test.after(async () => {
  await ctx.app?.close()
  await ctx.feed?.close()
  await ctx.alice?.close()
})

const media = (stem: string) => request(`${ctx.app!.url}/media/${ctx.alice!.fingerprint}/${stem}/0`, { headers: { cookie: ctx.cookie! } })

test("a friend's picture beside her post is served as an image, in a sandbox", async () => {
  const r = await media('2026-11-20T10-00-00Z-ok')
  assert.is(r.status, 200)
  assert.is(r.headers['content-type'], 'image/png')
  assert.match(String(r.headers['content-security-policy']), 'sandbox')
})

test('a path out of her folder or a symlink to my secret key is not served', async () => {
  for (const stem of ['2026-11-20T10-00-01Z-escape', '2026-11-20T10-00-02Z-link']) {
    const r = await media(stem)
    assert.is(r.status, 404, stem)
    assert.not.match(r.body, 'PRIVATE KEY')
  }
})

test('anything but an image is a download, never a page', async () => {
  const r = await media('2026-11-20T10-00-03Z-html')
  assert.is(r.headers['content-type'], 'application/octet-stream')
  assert.match(String(r.headers['content-disposition']), 'attachment')
})

test('without the session no picture is served', async () => {
  const r = await request(`${ctx.app!.url}/media/${ctx.alice!.fingerprint}/2026-11-20T10-00-00Z-ok/0`)
  assert.is(r.status, 401)
})

test.run()
