// Fixtures for the public-site tests: a feed with one post of every type, a real PNG, and a site renderer with temp dirs.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Post, PostData } from '../../src/posts/types.ts'
import { POST_TYPES } from '../../src/schemas/registry.ts'
import { renderSite } from '../../src/build/site/index.ts'
import type { Owner, RenderSiteOptions } from '../../src/build/site/index.ts'
import { REPO, tempDir } from '../helpers/index.ts'

export const FPR = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
export const FRIEND = 'ffffeeeeddddccccbbbbaaaa9999888877776666'
export const XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
export const TEMPLATES = path.join(REPO, 'templates/site')

/** A 2×2 red PNG, small but a real image a browser decodes. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)

export const [STATUS, IMAGE, LINK, LOCATION, EVENT, ACTIVITY, COMMENT, LIKE] = POST_TYPES

export function post(stem: string, data: Omit<PostData, 'published'> & { published?: string }, fpr = FPR): Post {
  const published = data.published ?? `${stem.slice(0, 10)}T${stem.slice(11, 19).replace(/-/g, ':')}Z`
  const full = { ...data, published } as PostData
  const [y, m] = published.split('-')
  return {
    id: `${fpr}/${stem}`,
    stem,
    file: `feed/${y}/${m}/${stem}.yaml`,
    hash: crypto.createHash('sha256').update(JSON.stringify(full)).digest('hex'),
    author: fpr,
    data: full,
  }
}

/** `p` with new data, as if its file were edited: a new file, a new hash. */
export const withData = (p: Post, data: Partial<PostData>): Post => post(p.stem, { ...p.data, ...data } as PostData, p.author)

export const owner = (over: Partial<Owner> = {}): Owner => ({
  name: 'Ada Example',
  fingerprint: FPR,
  keyArmored: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ…\n-----END PGP PUBLIC KEY BLOCK-----\n',
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path d="M0 0h2v2H0z"/></svg>',
  url: 'https://ada.example.org/',
  email: 'ada@example.org',
  ...over,
})

/** One public post of every type (plus an XSS attempt and a comment and a like on the status post). */
export function everyType(): Post[] {
  return [
    post('2026-10-01T08-00-00Z-hello', { type: STATUS, text: `Hello world.\n\nSecond paragraph ${XSS}`, tags: ['Intro', 'Life'] }),
    post('2026-10-02T09-00-00Z-snow', {
      type: IMAGE,
      text: 'First snow',
      attachments: [{ path: 'snow.png', mediaType: 'image/png', alt: 'Snow on a red roof' }],
      tags: ['life'],
    }),
    post('2026-10-03T10-00-00Z-link', { type: LINK, url: 'https://example.com/article', title: 'A good article', text: 'Worth reading.' }),
    post('2026-10-03T11-00-00Z-badlink', { type: LINK, url: 'javascript:alert(1)', title: `Bad ${XSS}` }),
    post('2026-10-04T12-00-00Z-place', { type: LOCATION, lat: 52.52, lon: 13.405, place: 'Alexanderplatz', text: 'Here now.' }),
    post('2026-10-05T13-00-00Z-party', {
      type: EVENT,
      name: 'Winter party',
      start: '2026-12-19T19:30:00+01:00',
      end: '2026-12-19T23:00:00+01:00',
      location: 'The old barn, Lindenweg 3',
    }),
    post('2026-10-06T14-00-00Z-run', {
      type: ACTIVITY,
      activity: 'run',
      distanceKm: 10.5,
      duration: 'PT52M30S',
      elevationM: 120,
      text: 'Windy.',
    }),
    post('2026-11-01T15-00-00Z-reply', {
      type: COMMENT,
      inReplyTo: `${FPR}/2026-10-01T08-00-00Z-hello`,
      text: `Replying to myself ${XSS}`,
    }),
    post('2026-11-02T16-00-00Z-like', { type: LIKE, object: `${FPR}/2026-10-01T08-00-00Z-hello` }),
    post('2026-11-03T17-00-00Z-like2', { type: LIKE, object: `${FPR}/2026-10-01T08-00-00Z-hello` }),
    post('2026-11-04T18-00-00Z-friend-reply', { type: COMMENT, inReplyTo: `${FRIEND}/2026-11-01T00-00-00Z-their-post`, text: 'Nice one!' }),
  ]
}

export interface SiteDirs {
  root: string
  out: string
  cache: string
}

/** A feed root with the PNG beside the image post, an output folder and a cache folder. */
const made: string[] = []

/** Removes every folder siteDirs() made; call from a suite's `after`. */
export async function cleanup(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
}

export async function siteDirs(): Promise<SiteDirs> {
  const base = await tempDir('peerfeed-site-')
  made.push(base)
  const root = path.join(base, 'repo')
  await fs.mkdir(path.join(root, 'feed/2026/10'), { recursive: true })
  await fs.writeFile(path.join(root, 'feed/2026/10/snow.png'), PNG)
  return { root, out: path.join(base, 'dist'), cache: path.join(base, 'cache') }
}

export function render(d: SiteDirs, posts: Post[], over: Partial<RenderSiteOptions> = {}) {
  return renderSite({ posts, owner: owner(), outDir: d.out, templatesDir: TEMPLATES, cacheDir: d.cache, root: d.root, ...over })
}

/** What the caller of renderSite does between builds: a new output folder holding the previous files as hard links. */
export async function linkCopy(from: string, to: string): Promise<void> {
  for (const e of await fs.readdir(from, { recursive: true, withFileTypes: true })) {
    const src = path.join(e.parentPath, e.name)
    const dst = path.join(to, path.relative(from, src))
    if (e.isDirectory()) await fs.mkdir(dst, { recursive: true })
    else if (e.isFile()) {
      await fs.mkdir(path.dirname(dst), { recursive: true })
      await fs.link(src, dst)
    }
  }
}

/** A static file server on 127.0.0.1, port 0 — what a dumb static host does, directories answered by index.html. */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('node:http')
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    css: 'text/css',
    png: 'image/png',
    xml: 'application/atom+xml',
    json: 'application/json',
    asc: 'application/pgp-keys',
  }
  const server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = path.join(dir, rel)
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    if (rel.endsWith('/')) file = path.join(file, 'index.html')
    try {
      const body = await fs.readFile(file)
      res.writeHead(200, { 'content-type': types[file.split('.').pop()!] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
