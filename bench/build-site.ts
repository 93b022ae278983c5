// Benchmark of the public-site renderer at 10,000 posts: Eleventy alone vs our full, incremental and no-op renders.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Post, PostData } from '../src/posts/types.ts'
import { POST_TYPES } from '../src/schemas/registry.ts'
import { renderSite } from '../src/build/site/index.ts'
import type { Owner } from '../src/build/site/index.ts'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FPR = '0123456789abcdef0123456789abcdef01234567'
const [STATUS, IMAGE, LINK, LOCATION, EVENT, ACTIVITY, COMMENT, LIKE] = POST_TYPES
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)
const WORDS = 'snow garden coffee train river bread music friends rain walk bike market book night morning city lake'.split(' ')

/** A deterministic pseudo-random feed: a post every ~2.6 hours from 2024 on, every type, 0–2 of 30 tags. */
export function generatePosts(n: number, seed = 1): Post[] {
  let s = seed
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const sentence = (k: number) => Array.from({ length: k }, () => pick(WORDS)).join(' ')
  const posts: Post[] = []
  const start = Date.UTC(2024, 0, 1)
  for (let i = 0; i < n; i++) {
    const published = new Date(start + i * 9_400_000).toISOString().replace('.000Z', 'Z')
    const stem = `${published.replace(/:/g, '-')}-post-${i}`
    const r = rnd()
    const type =
      r < 0.55
        ? STATUS
        : r < 0.65
          ? IMAGE
          : r < 0.73
            ? LINK
            : r < 0.78
              ? LOCATION
              : r < 0.81
                ? EVENT
                : r < 0.89
                  ? ACTIVITY
                  : r < 0.96
                    ? COMMENT
                    : LIKE
    const data: PostData = { type, published, text: `${sentence(12)}.\n\n${sentence(20)}.` }
    const tags = Array.from({ length: Math.floor(rnd() * 3) }, () => `tag${Math.floor(rnd() * 30)}`)
    if (tags.length) data.tags = [...new Set(tags)]
    const earlier = () => posts[Math.floor(rnd() * posts.length)]?.id ?? `${FPR}/none`
    if (type === IMAGE) data.attachments = [{ path: 'photo.png', mediaType: 'image/png', alt: sentence(5) }]
    if (type === LINK) Object.assign(data, { url: `https://example.com/${i}`, title: sentence(4) })
    if (type === LOCATION) Object.assign(data, { lat: 40 + rnd() * 10, lon: rnd() * 20, place: sentence(2) })
    if (type === EVENT) Object.assign(data, { name: sentence(3), start: '2026-12-19T19:30:00+01:00', location: sentence(3) })
    if (type === ACTIVITY)
      Object.assign(data, { activity: 'run', distanceKm: Math.round(rnd() * 200) / 10, duration: 'PT45M', elevationM: 80 })
    if (type === COMMENT) data.inReplyTo = earlier()
    if (type === LIKE) {
      data.object = earlier()
      delete data.text
    }
    const [y, m] = published.split('-')
    posts.push({
      id: `${FPR}/${stem}`,
      stem,
      file: `feed/${y}/${m}/${stem}.yaml`,
      hash: crypto.createHash('sha256').update(JSON.stringify(data)).digest('hex'),
      author: FPR,
      data,
    })
  }
  return posts
}

async function linkCopy(from: string, to: string) {
  for (const e of await fs.readdir(from, { recursive: true, withFileTypes: true })) {
    const src = path.join(e.parentPath, e.name)
    const dst = path.join(to, path.relative(from, src))
    if (e.isDirectory()) await fs.mkdir(dst, { recursive: true })
    else await fs.link(src, dst)
  }
}

/** Eleventy by itself: one minimal paginated template over the same posts, written to disk. */
export async function eleventyAlone(posts: Post[], dir: string): Promise<number> {
  const input = path.join(dir, 'minimal')
  await fs.mkdir(input, { recursive: true })
  await fs.writeFile(
    path.join(input, 'post.njk'),
    [
      '---',
      'pagination:',
      '  data: posts',
      '  size: 1',
      '  alias: p',
      'permalink: "posts/{{ p.stem }}/index.html"',
      '---',
      '<!doctype html><title>{{ p.data.type }}</title><h1>{{ p.data.published }}</h1><p>{{ p.data.text }}</p>',
      '',
    ].join('\n'),
  )
  const { Eleventy } = await import('@11ty/eleventy')
  const t0 = performance.now()
  const elev = new Eleventy(input, path.join(dir, 'minimal-out'), {
    quietMode: true,
    configPath: null,
    config: (cfg) => {
      cfg.addGlobalData('posts', posts)
      cfg.setUseGitIgnore(false)
    },
  })
  elev.logger.overrideLogger({ log() {}, info() {}, warn: console.warn, error: console.error })
  await elev.write()
  return performance.now() - t0
}

export async function run(n = Number(process.env.BENCH_POSTS ?? 10_000)) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'peerfeed-bench-site-'))
  const root = path.join(dir, 'repo')
  const posts = generatePosts(n)
  for (const m of new Set(posts.map((p) => path.dirname(p.file)))) {
    await fs.mkdir(path.join(root, m), { recursive: true })
    await fs.writeFile(path.join(root, m, 'photo.png'), PNG)
  }
  const owner: Owner = {
    name: 'Bench',
    fingerprint: FPR,
    keyArmored: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n',
    qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    url: 'https://bench.example/',
  }
  const cacheDir = path.join(dir, 'cache')
  const templatesDir = path.join(REPO, 'templates/site')
  let out = path.join(dir, 'dist-0')
  let gen = 0
  const build = async (ps: Post[], full = false) => {
    // As the build orchestrator does: a fresh output folder holding the previous build as hard links.
    const next = path.join(dir, `dist-${++gen}`)
    await linkCopy(out, next)
    out = next
    const t0 = performance.now()
    const r = await renderSite({ posts: ps, owner, outDir: out, templatesDir, cacheDir, root, full })
    return { ms: performance.now() - t0, rendered: r.rendered, skipped: r.skipped, timings: r.timings }
  }
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const rows: [string, string][] = []

  let t0 = performance.now()
  await import('@11ty/eleventy')
  rows.push(['import @11ty/eleventy (once per process)', fmt(performance.now() - t0)])
  const alone = await eleventyAlone(posts, dir)
  rows.push([`Eleventy alone, ${n} pages (minimal template)`, fmt(alone)])

  await fs.mkdir(out, { recursive: true })
  t0 = performance.now()
  const first = await renderSite({ posts, owner, outDir: out, templatesDir, cacheDir, root })
  const fullMs = performance.now() - t0
  rows.push([
    `renderSite full, ${n} posts → ${first.rendered} files`,
    `${fmt(fullMs)} (${(fullMs / alone).toFixed(2)}× Eleventy alone) ${JSON.stringify(first.timings)}`,
  ])

  const added = [
    ...posts,
    {
      ...posts[0]!,
      id: `${FPR}/2030-01-01T00-00-00Z-new`,
      stem: '2030-01-01T00-00-00Z-new',
      file: 'feed/2030/01/2030-01-01T00-00-00Z-new.yaml',
      data: { type: STATUS, published: '2030-01-01T00:00:00Z', text: 'A new post', tags: ['tag3'] } as PostData,
    },
  ]
  let r = await build(added)
  rows.push(['add one post', `${fmt(r.ms)} (${r.rendered} written, ${r.skipped} kept) ${JSON.stringify(r.timings)}`])
  const edited = added.map((p, i) => (i === Math.floor(n / 2) ? { ...p, hash: 'edited', data: { ...p.data, text: 'Edited text' } } : p))
  r = await build(edited)
  rows.push(['edit one post (middle of history)', `${fmt(r.ms)} (${r.rendered} written, ${r.skipped} kept) ${JSON.stringify(r.timings)}`])
  r = await build(edited)
  rows.push(['nothing changed', `${fmt(r.ms)} (${r.rendered} written, ${r.skipped} kept) ${JSON.stringify(r.timings)}`])
  rows.push(['peak memory (max RSS)', `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`])

  for (const [k, v] of rows) console.log(`${k.padEnd(52)} ${v}`)
  await fs.rm(dir, { recursive: true, force: true })
  return rows
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
