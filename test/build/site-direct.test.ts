// Rendering a few pages without Eleventy gives the very bytes Eleventy gives, for every page kind.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { renderPages } from '../../src/build/site/eleventy.ts'
import { renderDirect } from '../../src/build/site/nunjucks-direct.ts'
import { PAGE_KINDS, planSite } from '../../src/build/site/plan.ts'
import { tempDir } from '../helpers/index.ts'
import { everyType, owner, TEMPLATES } from './site-fixtures.ts'

const test = suite('site: direct rendering')

test('every page of the shipped templates renders to the same bytes with and without Eleventy', async () => {
  const plan = planSite({ posts: everyType(), owner: owner(), templateHash: 'x' })
  assert.equal([...new Set(plan.pages.map((p) => p.kind))].sort(), [...PAGE_KINDS].sort(), 'the fixture has every kind of page')
  const eleventy = await renderPages(TEMPLATES, plan.site, plan.pages)
  const direct = renderDirect(TEMPLATES, plan.site, plan.pages)
  assert.ok(direct, 'the shipped templates render without Eleventy')
  assert.equal([...direct!.keys()].sort(), [...eleventy.keys()].sort())
  for (const [p, html] of eleventy) assert.is(direct!.get(p), html, p)
  // a handful of pages alone, as an incremental build renders them
  const few = plan.pages.filter((p) => p.kind === 'post').slice(0, 2)
  const some = renderDirect(TEMPLATES, plan.site, few)!
  for (const p of few) assert.is(some.get(p.path), eleventy.get(p.path), p.path)
})

test('compiled templates kept between builds render the same bytes, and a changed template is compiled again', async () => {
  const plan = planSite({ posts: everyType(), owner: owner(), templateHash: 'x' })
  const dir = await tempDir()
  await fs.cp(TEMPLATES, path.join(dir, 'site'), { recursive: true })
  const templates = path.join(dir, 'site')
  const cache = path.join(dir, 'compiled.json')
  const plain = renderDirect(templates, plan.site, plan.pages)!
  const first = renderDirect(templates, plan.site, plan.pages, cache)!
  const kept = JSON.parse(await fs.readFile(cache, 'utf8')) as { code: Record<string, string> }
  assert.ok(Object.keys(kept.code).length >= 10, 'every page template and include was kept')
  // the second build runs the kept code: put a marker into it, and the marker comes out
  const marked = Object.fromEntries(Object.entries(kept.code).map(([k, c]) => [k, c.replaceAll('<main', '<main data-kept')]))
  await fs.writeFile(cache, JSON.stringify({ ...kept, code: marked }))
  const second = renderDirect(templates, plan.site, plan.pages, cache)!
  for (const [p, html] of plain) {
    assert.is(first.get(p), html, p)
    if (html.includes('<main')) assert.is(second.get(p), html.replaceAll('<main', '<main data-kept'), p)
  }
  // a template edited since: its text is another key, so it is compiled from the new text
  const post = path.join(templates, 'post.njk')
  await fs.writeFile(post, (await fs.readFile(post, 'utf8')).replace('{% block content %}', '{% block content %}<p>edited</p>'))
  const third = renderDirect(templates, plan.site, plan.pages, cache)!
  const postPage = plan.pages.find((p) => p.kind === 'post')!.path
  assert.match(third.get(postPage)!, '<p>edited</p>')
  await fs.rm(dir, { recursive: true, force: true })
})

test('templates that use what only Eleventy provides are left to Eleventy', async () => {
  const plan = planSite({ posts: everyType(), owner: owner(), templateHash: 'x' })
  for (const [file, change] of [
    ['post.njk', (t: string) => t.replace('{% block content %}', '{% block content %}{{ page.url }}')],
    ['post.njk', (t: string) => t.replace('{{ view.entry.title }}', '{{ view.entry.title | slugify }}')],
    ['post.njk', (t: string) => t.replace('permalink:', 'layout: base.njk\npermalink:')],
    ['_includes/entry.njk', (t: string) => `{{ collections.all | length }}${t}`],
  ] as const) {
    const dir = await tempDir()
    await fs.cp(TEMPLATES, dir, { recursive: true })
    const f = path.join(dir, file)
    await fs.writeFile(f, change(await fs.readFile(f, 'utf8')))
    assert.is(renderDirect(dir, plan.site, plan.pages), undefined, `${file} changed`)
  }
})

test.run()
