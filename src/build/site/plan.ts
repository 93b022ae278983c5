// Pure: the pages of the public site, a hash per page for the render manifest, and each page's data on demand.
import { publishedMs } from '../../posts/load-posts.ts'
import type { Post } from '../../posts/types.ts'
import { groupFingerprint, monthName } from './format.ts'
import { sha256 } from './hash.ts'
import type { Author, Link, Owner, PostView, SiteView } from './types.ts'
import { baseOf, paths, rootOf, stemSlug, tagSlug, urlOf } from './urls.ts'
import { fullId, indexPosts, postTitle, postView, TYPES, viewKey, type SiteIndex } from './views.ts'

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

/**
 * What a plan was made from, kept beside the render manifest so the next plan can take over the hashes of the pages
 * none of whose inputs changed (planSite's `previous`): the public posts in plan order with their file hashes and
 * slugs, and for each month and tag page a hash of what it lists.
 */
export interface PlanState {
  v: 1
  /** templates, site and every other input besides the posts that a page's hash reads (`context` of planSite) */
  salt: string
  ids: string[]
  hashes: string[]
  slugs: string[]
  /** the post each one answers or likes (full id), '' for none */
  targets: string[]
  lists: Record<string, string>
}

export interface SitePlan {
  site: SiteView
  /** Posts in total order (published, then id). */
  posts: Post[]
  index: SiteIndex
  pages: PlannedPage[]
  /** The view of the i-th post, built once on first use. */
  view: (i: number) => PostView
  /** what the next plan may start from */
  state: PlanState
  /** how many page hashes were taken over from the previous plan */
  reused: number
}

// the loader's parsed time when the post came through it (no date to parse again)
const timeOf = (p: Post) => {
  const t = publishedMs(p)
  return Number.isNaN(t) ? 0 : t
}

/** The total order of posts: published instant, then id. */
export function comparePosts(a: Post, b: Post): number {
  return timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function sortPosts(posts: Post[]): Post[] {
  // posts come from the loader in this order already: checked in one pass, then not sorted again
  let sorted = true
  for (let i = 1; i < posts.length && sorted; i++) sorted = comparePosts(posts[i - 1]!, posts[i]!) <= 0
  if (sorted) return posts.slice()
  const keyed = posts.map((p) => ({ p, t: timeOf(p) }))
  keyed.sort((a, b) => a.t - b.t || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
  return keyed.map((k) => k.p)
}

/** `2026/11` for a post, in UTC. */
export function monthOf(post: Post): string {
  const t = publishedMs(post)
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
  /**
   * The last plan's state and the page hashes it gave (the render manifest's outputs): a page none of whose inputs
   * changed since keeps its hash without its view keys being made. test/build/site-plan-delta.test.ts compares with
   * a plan made from nothing after every step of random edits.
   */
  previous?: { state: PlanState; hashes: Readonly<Record<string, string>> }
  /** what besides the posts the pages read that the template hash and site do not say (the owner's own post ids) */
  context?: string
}): SitePlan {
  const { owner, templateHash, homeSize = 20 } = input
  const posts = sortPosts(input.posts)
  const site = siteView(owner)
  const index = indexPosts(posts, slugsFor(posts), site.base, owner.fingerprint, input.authors, input.ownIds)
  const stateSalt = sha256(
    `${templateHash}\0${JSON.stringify(site)}\0${homeSize}\0${JSON.stringify([...(input.authors ?? [])])}\0${input.context ?? ''}`,
  )
  const state: PlanState = {
    v: 1,
    salt: stateSalt,
    ids: posts.map((p) => p.id),
    hashes: posts.map((p) => p.hash),
    slugs: posts.map((p) => index.slugs.get(p.id)!),
    targets: posts.map((p) => targetOf(p, owner.fingerprint)),
    lists: {},
  }
  const prev = input.previous && usableState(input.previous.state, stateSalt) ? input.previous : undefined
  const prevAt = prev ? new Map(prev.state.ids.map((id, j) => [id, j])) : undefined
  const dirty = prev ? dirtyPosts(posts, state, prev.state, prevAt!) : undefined
  let reused = 0

  // a post's data is read from its file's bytes alone: the file's sha256 (the ledger's version) stands for it, without
  // serializing and hashing 10,000 posts' data again
  const dataHash = (p: Post) => p.hash
  // Keys stay strings (a few hundred bytes each): page hashes concatenate them, one hash per page rather than per post.
  // made only for the pages whose hash is made: a page taken over from the last plan needs none of its posts' keys
  const keyOf: (string | undefined)[] = new Array(posts.length)
  const key = (i: number) => (keyOf[i] ??= viewKey(index, posts[i]!, dataHash))
  const views: PostView[] = []
  const view = (i: number) => (views[i] ??= postView(index, posts[i]!))
  const viewsOf = (is: number[]) => is.map(view)

  const salt = sha256(`${templateHash}\0${JSON.stringify(site)}`)
  const pages: PlannedPage[] = []
  /** `scalars` is everything the page shows besides post views; `entries` are indexes of the posts it shows. */
  const add = (
    kind: PageKind,
    path: string,
    scalars: Record<string, unknown>,
    entries: number[],
    data: (base: PageData) => PageData,
    kept?: string,
  ) => {
    const hash = kept ?? sha256(`${salt}\0${kind}\0${path}\0${JSON.stringify(scalars)}\0${entries.map(key).join('\n')}`)
    if (kept) reused++
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
  // a post page reads its post and its two neighbours (and, through them, what dirtyPosts spreads to): when none of
  // the three is dirty and its neighbours are the ones it had, its hash stands
  const keptPostPage = (i: number, path: string): string | undefined => {
    if (!prev || dirty![i] || dirty![i - 1] || dirty![i + 1]) return undefined
    const j = prevAt!.get(posts[i]!.id)
    if (j === undefined || prev.state.ids[j - 1] !== posts[i - 1]?.id || prev.state.ids[j + 1] !== posts[i + 1]?.id) return undefined
    return prev.hashes[path]
  }
  posts.forEach((p, i) => {
    const path = paths.post(index.slugs.get(p.id)!)
    const kept = keptPostPage(i, path)
    // neighbour links (a title each) are made only for a page whose hash is made
    const scalars = kept ? undefined : { older: link(i - 1), newer: link(i + 1) }
    add('post', path, scalars ?? {}, [i], (d) => ({ ...d, older: link(i - 1), newer: link(i + 1), entry: view(i) }), kept)
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
  // a list page's hash stands when it lists the same posts, none of them dirty, with the same scalars
  const keptList = (path: string, scalars: Record<string, unknown>, entries: number[]): string | undefined => {
    const sig = sha256(`${JSON.stringify(scalars)}\0${entries.map((i) => posts[i]!.id).join('\n')}`)
    state.lists[path] = sig
    if (!prev || prev.state.lists[path] !== sig || entries.some((i) => dirty![i])) return undefined
    return prev.hashes[path]
  }
  monthKeys.forEach((ym, m) => {
    const [year, month] = ym.split('/')
    const entries = [...months.get(ym)!].reverse()
    const scalars = { year, month, label: monthLabel(ym), older: monthLink(monthKeys[m - 1]), newer: monthLink(monthKeys[m + 1]) }
    const path = paths.month(ym)
    add('month', path, scalars, entries, (d) => ({ ...d, entries: viewsOf(entries) }), keptList(path, scalars, entries))
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
    const scalars = { tag: t.name, slug }
    const path = paths.tag(slug)
    add('tag', path, scalars, entries, (d) => ({ ...d, entries: viewsOf(entries) }), keptList(path, scalars, entries))
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

  return { site, posts, index, pages, view, state, reused }
}

/**
 * Per post (in plan order), 1 when a page showing it must be hashed again: its file or slug changed, or it answers
 * or likes a post that changed (its title and reference read the target), or a post answering or liking it changed
 * (its view lists comments and counts likes), or it is gone from the neighbours it had.
 */
function dirtyPosts(posts: Post[], now: PlanState, before: PlanState, was: ReadonlyMap<string, number>): Uint8Array {
  const changed = new Set<string>()
  posts.forEach((p, i) => {
    const j = was.get(p.id)
    if (j === undefined || before.hashes[j] !== p.hash || before.slugs[j] !== now.slugs[i]) changed.add(p.id)
  })
  const here = new Set(now.ids)
  for (const id of before.ids) if (!here.has(id)) changed.add(id)
  const out = new Uint8Array(posts.length)
  const at = new Map(now.ids.map((id, i) => [id, i]))
  const mark = (id: string) => {
    const i = at.get(id)
    if (i !== undefined) out[i] = 1
  }
  for (const id of changed) {
    mark(id)
    // what it answered or liked before and answers or likes now: their views list it, or count it
    const j = was.get(id)
    if (j !== undefined && before.targets[j]) mark(before.targets[j]!)
    const i = at.get(id)
    if (i !== undefined && now.targets[i]) mark(now.targets[i]!)
  }
  // what answers or likes a changed post: its title and reference read the post
  posts.forEach((_, i) => {
    if (now.targets[i] && changed.has(now.targets[i]!)) out[i] = 1
  })
  return out
}

/** A kept state of this salt, whole (it is read from a file: a damaged one is only a plan from nothing). */
function usableState(s: PlanState, salt: string): boolean {
  if (!s || typeof s !== 'object' || s.v !== 1 || s.salt !== salt) return false
  const n = Array.isArray(s.ids) ? s.ids.length : -1
  const strings = (xs: unknown) => Array.isArray(xs) && xs.length === n && xs.every((x) => typeof x === 'string')
  return strings(s.ids) && strings(s.hashes) && strings(s.slugs) && strings(s.targets) && !!s.lists && typeof s.lists === 'object'
}

/** The full id of the post a comment answers or a like likes, '' for any other post (as viewKey reads it). */
function targetOf(p: Post, ownerFingerprint: string): string {
  const ref = p.data.type === TYPES.COMMENT ? p.data.inReplyTo : p.data.type === TYPES.LIKE ? p.data.object : undefined
  return ref ? fullId(ownerFingerprint, ref) : ''
}
