// Who gets into the app: the printed one-time link, an HttpOnly SameSite=Strict cookie, Host and Origin checks.
import fs from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startApp, type RunningApp } from '../../src/app/start.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { login, request } from './http-client.ts'
import './fixture.ts'

const test = suite('app session')
const ctx: { feed?: TestFeed; app?: RunningApp } = {}

test.before(async () => {
  ctx.feed = await makeFeed('owner')
  await ctx.feed.post({ text: 'hello from the owner' })
  ctx.app = await startApp({ layout: ctx.feed.layout, port: 0, autoBuild: false })
})
test.after(async () => {
  await ctx.app?.close()
  await ctx.feed?.close()
})

const posts = async () => (await fs.readdir(ctx.feed!.layout.feed, { recursive: true })).filter((f) => f.endsWith('.yaml')).length

test('the printed link logs in once: HttpOnly SameSite=Strict cookie, redirect to a clean URL, token spent', async () => {
  const url = ctx.app!.newLoginUrl()
  const r = await request(url)
  assert.is(r.status, 303)
  assert.is(r.headers.location, '/')
  const cookie = String(r.headers['set-cookie'])
  assert.match(cookie, /HttpOnly/)
  assert.match(cookie, /SameSite=Strict/)
  const again = await request(url)
  assert.is(again.status, 401)
  assert.is(again.headers['set-cookie'], undefined)
})

test('without the session: API calls are 401 JSON, pages a short note, nothing private leaks', async () => {
  const api = await request(`${ctx.app!.url}/api/timeline`)
  assert.is(api.status, 401)
  assert.is(api.json().error.code, 'NO_SESSION')
  const page = await request(`${ctx.app!.url}/`)
  assert.is(page.status, 401)
  assert.match(page.body, 'peerfeed app')
  assert.not.match(page.body, 'hello from the owner')
  const forged = await request(`${ctx.app!.url}/api/timeline`, { headers: { cookie: 'peerfeed_session=made-up' } })
  assert.is(forged.status, 401)
})

test('with the session the timeline answers; a wrong Host is refused even with the cookie (DNS rebinding)', async () => {
  const cookie = await login(ctx.app!.newLoginUrl())
  const ok = await request(`${ctx.app!.url}/api/timeline`, { headers: { cookie } })
  assert.is(ok.status, 200)
  assert.is(ok.json().entries[0].data.text, 'hello from the owner')
  const port = new URL(ctx.app!.url).port
  const evil = await request(`${ctx.app!.url}/api/timeline`, { headers: { cookie, host: `evil.example:${port}` } })
  assert.is(evil.status, 421)
  assert.not.match(evil.body, 'hello from the owner')
})

test('a cross-origin or origin-less POST changes nothing; the same POST from the app origin posts', async () => {
  const cookie = await login(ctx.app!.newLoginUrl())
  const body = JSON.stringify({ type: 'status', text: 'forged' })
  const before = await posts()
  for (const origin of ['http://evil.example', 'null', undefined]) {
    const r = await request(`${ctx.app!.url}/api/posts`, {
      method: 'POST',
      body,
      headers: { cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    })
    assert.is(r.status, 403, `origin ${origin}`)
  }
  // a form post (no JSON) from the app's own origin is not accepted either
  const form = await request(`${ctx.app!.url}/api/posts`, {
    method: 'POST',
    body: 'type=status&text=x',
    headers: { cookie, origin: ctx.app!.url, 'content-type': 'application/x-www-form-urlencoded' },
  })
  assert.is(form.status, 415)
  assert.is(await posts(), before)
  const ok = await request(`${ctx.app!.url}/api/posts`, {
    method: 'POST',
    body,
    headers: { cookie, origin: ctx.app!.url, 'content-type': 'application/json' },
  })
  assert.is(ok.status, 201)
  assert.is(ok.json().entry.data.text, 'forged', 'the answer is the new entry')
  assert.is(await posts(), before + 1)
})

test('every answer forbids framing and outside scripts', async () => {
  const r = await request(`${ctx.app!.url}/static/app.css`)
  assert.match(String(r.headers['content-security-policy']), "script-src 'self'")
  assert.match(String(r.headers['content-security-policy']), "frame-ancestors 'none'")
})

test.run()
