// Stable output paths and URLs of the public site, and the few checks that keep user-written URLs harmless.
import crypto from 'node:crypto'

/** Where a page lives inside the output folder, and its URL path below the site's base. */
export const paths = {
  home: 'index.html',
  about: 'about/index.html',
  notFound: '404.html',
  archive: 'archive/index.html',
  tags: 'tags/index.html',
  post: (slug: string) => `posts/${slug}/index.html`,
  postDir: (slug: string) => `posts/${slug}/`,
  month: (ym: string) => `${ym}/index.html`,
  tag: (slug: string) => `tags/${slug}/index.html`,
  atom: 'feed.xml',
  jsonFeed: 'feed.json',
  outbox: 'outbox.json',
  key: 'key.asc',
  schema: (name: string) => `schemas/${name}`,
  asset: (name: string) => `assets/${name}`,
}

/** The URL path of an output file: `posts/x/index.html` → `posts/x/`. */
export const urlOf = (outPath: string) => outPath.replace(/(^|\/)index\.html$/, '$1')

/** A post stem as a URL segment. Stems are usually safe already; anything else becomes `-` plus a short hash, so distinct stems stay distinct. */
export function stemSlug(stem: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stem) && !stem.includes('..')) return stem
  const base = stem
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
  return `${base || 'post'}-${shortHash(stem)}`
}

/** A tag as a URL segment: case-insensitive, letters and digits of any script kept, the rest a dash. Tags that slug alike share a page. */
export function tagSlug(tag: string): string {
  const s = tag
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return s || `tag-${shortHash(tag)}`
}

/** A file name safe to put beside a post page (never `index.html`, never hidden, never a path). */
export function attachmentName(p: string): string {
  const base = p.split(/[\\/]/).pop() ?? ''
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '')
  if (!clean) return `file-${shortHash(p)}`
  return clean.toLowerCase() === 'index.html' ? `file-${clean}` : clean
}

export const shortHash = (s: string) => crypto.createHash('sha256').update(s).digest('hex').slice(0, 8)

/** A user-written link target, or undefined unless it is http(s) — `javascript:` and friends never become an href. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined
  } catch {
    return undefined
  }
}

export const hostOf = (url: string) => new URL(url).host

export const osmUrl = (lat: number, lon: number) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`

/**
 * The site's base: `path` prefixes every internal link (a site may live below `/~me/`), `absolute` is used where
 * a full URL is needed (feeds) and is empty when the owner gave no URL. Without a URL, `path` is empty: links are
 * relative to the site's root, and each page says where that is with `<base href="../…">` (see rootOf), so the
 * site works wherever it is hosted, under any sub-path.
 */
export interface Base {
  path: string
  absolute: string
}

export function baseOf(siteUrl: string | undefined): Base {
  const u = safeUrl(siteUrl)
  if (!u) return { path: '', absolute: '' }
  const url = new URL(u)
  const p = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`
  return { path: p, absolute: `${url.origin}${p}` }
}

/** From the page at output path `outPath` back to the site's root: `posts/x/index.html` → `../../`, `index.html` → `./`. */
export const rootOf = (outPath: string) => '../'.repeat(outPath.split('/').length - 1) || './'
