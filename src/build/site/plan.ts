// Pure: the pages of the public site, a hash per page for the render manifest, and each page's data on demand.
import type { Post } from '../../posts/types.ts'
import { groupFingerprint, monthName } from './format.ts'
import { sha256 } from './hash.ts'
import type { Author, Link, Owner, PostView, SiteView } from './types.ts'
import { baseOf, paths, rootOf, stemSlug, tagSlug, urlOf } from './urls.ts'
import { indexPosts, postTitle, postView, viewKey, type SiteIndex } from './views.ts'

export const PAGE_KINDS = ['post', 'month', 'tag', 'home', 'archive', 'tags', 'about', 'notfound'] as const
export type PageKind = (typeof PAGE_KINDS)[number]

export interface PageData {
  path: string
  url: string
  [k: string]: unknown
}

export interface PlannedPage {
  kind: PageKind
  path: string
  /** Hash of everything the page shows (with the template hash): equal hash, equal page. */
  hash: string
  /** The page's template data, built only for pages that are rendered: views of 10,000 posts cost more than hashing them. */
  data: () => PageData
}

export interface SitePlan {
  site: SiteView
  /** Posts in total order (published, then id). */
  posts: Post[]
  index: SiteIndex
  pages: PlannedPage[]
  /** The view of the i-th post, built once on first use. */
  view: (i: number) => PostView
}

const timeOf = (p: Post) => {
  const t = Date.parse(p.data.published)
  return Number.isNaN(t) ? 0 : t
}

/** The total order of posts: published instant, then id. */
export function comparePosts(a: Post, b: Post): number {
  return timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function sortPosts(posts: Post[]): Post[] {
  const keyed = posts.map((p) => ({ p, t: timeOf(p) }))
  keyed.sort((a, b) => a.t - b.t || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
  return keyed.map((k) => k.p)
}

/** `2026/11` for a post, in UTC. */
export function monthOf(post: Post): string {
  const t = Date.parse(post.data.published)
  if (Number.isNaN(t)) return '0000/00'
  const d = new Date(t)
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

export function monthLabel(ym: string): string {
  const [y, m] = ym.split('/')
  return `${monthName(Number(m))} ${y}`
}

export function siteView(owner: Owner): SiteView {
  const base = baseOf(owner.url)
  const u = (p: string) => base.path + urlOf(p) || './'
  return {
    name: owner.name,
    fingerprint: owner.fingerprint.toLowerCase(),
    fingerprintGrouped: groupFingerprint(owner.fingerprint),
    base: base.path,
    absoluteBase: base.absolute,
    url: base.absolute || undefined,
    email: owner.email,
    urls: {
      home: u(paths.home),
      about: u(paths.about),
      archive: u(paths.archive),
      tags: u(paths.tags),
      atom: u(paths.atom),
      jsonFeed: u(paths.jsonFeed),
      outbox: u(paths.outbox),
      key: u(paths.key),
      style: u(paths.asset('style.css')),
      localTime: u(paths.asset('local-time.js')),
    },
  }
}

/** Stems as URL slugs; a clash (two folders holding the same file name) gets the later post a hashed suffix. */
function slugsFor(sorted: Post[]): Map<string, string> {
  const slugs = new Map<string, string>()
  const taken = new Set<string>()
  for (const p of sorted) {
    let s = stemSlug(p.stem)
    if (taken.has(s)) s = `${s}-${sha256(p.id).slice(0, 8)}`
    taken.add(s)
    slugs.set(p.id, s)
  }
  return slugs
}

/** Inline SVG is only inlined when it looks like the plain QR SVG the identity stage makes. */
export function safeSvg(svg: string): string {
  const ok = /^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(svg) && !/<script|<foreignObject|\son\w+\s*=|javascript:/i.test(svg)
  return ok ? svg : ''
}

export function planSite(input: {
  posts: Post[]
  owner: Owner
  templateHash: string
  homeSize?: number
  authors?: ReadonlyMap<string, Author>
  ownIds?: ReadonlySet<string>
}): SitePlan {
  const { owner, templateHash, homeSize = 20 } = input
  const posts = sortPosts(input.posts)
  const site = siteView(owner)
  const index = indexPosts(posts, slugsFor(posts), site.base, owner.fingerprint, input.authors, input.ownIds)

  // a post's data is read from its file's bytes alone: the file's sha256 (the ledger's version) stands for it, without
  // serializing and hashing 10,000 posts' data again
  const dataHash = (p: Post) => p.hash
  // Keys stay strings (a few hundred bytes each): page hashes concatenate them, one hash per page rather than per post.
  const keys = posts.map((p) => viewKey(index, p, dataHash))
  const views: PostView[] = []
  const view = (i: number) => (views[i] ??= postView(index, posts[i]!))
  const viewsOf = (is: number[]) => is.map(view)

  const salt = sha256(`${templateHash}\0${JSON.stringify(site)}`)
  const pages: PlannedPage[] = []
  /** `scalars` is everything the page shows besides post views; `entries` are indexes of the posts it shows. */
  const add = (kind: PageKind, path: string, scalars: Record<string, unknown>, entries: number[], data: (base: PageData) => PageData) => {
    const hash = sha256(`${salt}\0${kind}\0${path}\0${JSON.stringify(scalars)}\0${entries.map((i) => keys[i]).join('\n')}`)
    pages.push({
      kind,
      path,
      hash,
      data: () => data({ path, url: site.base + urlOf(path) || './', root: site.base || rootOf(path), ...scalars }),
    })
  }

  // A post page links its neighbours by URL and title, so editing a post's text re-renders its neighbours only
  // when its title changes.
  // each post is the neighbour of two: its link is made once
  const links: (Link | undefined)[] = []
  const link = (i: number): Link | undefined => {
    const p = posts[i]
    if (!p) return undefined
    return (links[i] ??= { url: site.base + urlOf(paths.postDir(index.slugs.get(p.id)!)), title: postTitle(index, p) })
  }
  posts.forEach((p, i) => {
    const scalars = { older: link(i - 1), newer: link(i + 1) }
    add('post', paths.post(index.slugs.get(p.id)!), scalars, [i], (d) => ({ ...d, entry: view(i) }))
  })

  const months = new Map<string, number[]>()
  posts.forEach((p, i) => {
    const m = monthOf(p)
    if (!months.has(m)) months.set(m, [])
    months.get(m)!.push(i)
  })
  const monthKeys = [...months.keys()].sort()
  const monthLink = (ym: string | undefined): Link | undefined =>
    ym ? { url: site.base + urlOf(paths.month(ym)), title: monthLabel(ym) } : undefined
  monthKeys.forEach((ym, m) => {
    const [year, month] = ym.split('/')
    const entries = [...months.get(ym)!].reverse()
    const scalars = { year, month, label: monthLabel(ym), older: monthLink(monthKeys[m - 1]), newer: monthLink(monthKeys[m + 1]) }
    add('month', paths.month(ym), scalars, entries, (d) => ({ ...d, entries: viewsOf(entries) }))
  })

  // Tags that slug alike share a page, named after their first use.
  const tags = new Map<string, { name: string; entries: number[] }>()
  posts.forEach((p, i) => {
    const seen = new Set<string>()
    for (const name of p.data.tags ?? []) {
      const slug = tagSlug(name)
      if (seen.has(slug)) continue
      seen.add(slug)
      if (!tags.has(slug)) tags.set(slug, { name, entries: [] })
      tags.get(slug)!.entries.push(i)
    }
  })
  const tagKeys = [...tags.keys()].sort()
  for (const slug of tagKeys) {
    const t = tags.get(slug)!
    const entries = [...t.entries].reverse()
    add('tag', paths.tag(slug), { tag: t.name, slug }, entries, (d) => ({ ...d, entries: viewsOf(entries) }))
  }

  const newest = posts
    .map((_, i) => i)
    .slice(-homeSize)
    .reverse()
  add('home', paths.home, { total: posts.length }, newest, (d) => ({ ...d, entries: viewsOf(newest) }))
  const years = new Map<string, { label: string; url: string; count: number }[]>()
  for (const ym of [...monthKeys].reverse()) {
    const y = ym.slice(0, 4)
    if (!years.has(y)) years.set(y, [])
    years.get(y)!.push({ label: monthLabel(ym), url: monthLink(ym)!.url, count: months.get(ym)!.length })
  }
  add('archive', paths.archive, { years: [...years].map(([year, ms]) => ({ year, months: ms })) }, [], (d) => d)
  add(
    'tags',
    paths.tags,
    {
      tags: tagKeys.map((slug) => ({
        name: tags.get(slug)!.name,
        url: site.base + urlOf(paths.tag(slug)),
        count: tags.get(slug)!.entries.length,
      })),
    },
    [],
    (d) => d,
  )
  add('about', paths.about, { qrSvg: safeSvg(owner.qrSvg), keyUrl: site.urls.key }, [], (d) => d)
  // served for any missing path, at any depth: without a URL its links can only assume the site is at the host's root
  add('notfound', paths.notFound, { root: site.base || '/' }, [], (d) => d)

  return { site, posts, index, pages, view }
}
