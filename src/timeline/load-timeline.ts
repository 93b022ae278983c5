// The timeline's data: my posts (feed/) and each friend's (inbox/NAME/), newest first. Reads files, nothing else.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { type Loaded, loadPosts, publishedMs } from '../posts/load-posts.ts'
import type { Post } from '../posts/types.ts'
import { addFollows, readAuthors, readBlocked } from './authors.ts'

export interface TimelineItem {
  /** 'me' or the friend's petname */
  author: string
  post: Post
}

export interface Timeline {
  items: TimelineItem[]
  /** fingerprint → 'me' or petname, to name the authors of replied-to and liked posts */
  names: ReadonlyMap<string, string>
  /** id → a short excerpt of each shown post and of the posts they reply to or like */
  excerpts: ReadonlyMap<string, string>
  problems: Problem[]
}

/** Newest first by published time, then id; `from` keeps one author ('me' or a petname). */
export async function loadTimeline(layout: Layout, { limit = 50, from }: { limit?: number; from?: string } = {}): Promise<Timeline> {
  // names only: keys are read for their fingerprints, without openpgp (authors.ts)
  const authors = await readAuthors(layout)
  const { names, fprOf } = authors
  const folders = (await fs.readdir(layout.inbox, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
  await addFollows(layout, authors, folders)
  // a blocked friend's posts leave my timeline (their inbox/ folder stays as it is, for an unblock)
  const blocked = await readBlocked(layout)
  const friends = folders.filter((name) => !blocked.has(fprOf.get(name) ?? '')).sort()
  if (from && from !== 'me' && !friends.includes(from)) {
    throw new PeerFeedError(
      'UNKNOWN_AUTHOR',
      `nothing from "${from}" in ${path.relative(layout.root, layout.inbox) || 'inbox'}/; known: me${friends.length ? `, ${friends.join(', ')}` : ''}.`,
    )
  }
  // one list per author, each already in the total order (oldest first)
  const lists: { author: string; posts: Post[]; stale?: (p: Post[]) => boolean; reload?: () => Promise<Loaded> }[] = []
  const problems: Problem[][] = []
  if (!from || from === 'me') {
    const mine = await loadPosts(layout, { fingerprint: authors.self })
    lists.push({ author: 'me', posts: mine.posts })
    problems.push(mine.problems)
  }
  for (const name of friends) {
    if (from && from !== name) continue
    const load = (trustFolders: boolean) =>
      loadPosts(layout, {
        dir: path.join(layout.inbox, name),
        fingerprint: fprOf.get(name) ?? 'self',
        cacheFile: path.join(layout.state, 'cache', `inbox-${name}.cache`),
        trustFolders,
      })
    // sync writes inbox/NAME by renames alone, so its folders' times tell what changed (list-post-files.ts)
    const loaded = await load(true)
    lists.push({ author: name, posts: loaded.posts, stale: loaded.stale, reload: () => load(false) })
    problems.push(loaded.problems)
  }
  let shown = newestFirst(lists, limit)
  // what is shown is never stale: a post edited in place (its folder's times unchanged) is read again, with its list
  let again = false
  for (const [k, l] of lists.entries()) {
    if (!l.stale || !l.reload || !l.stale(shown.filter((i) => i.author === l.author).map((i) => i.post))) continue
    const fresh = await l.reload()
    lists[k] = { author: l.author, posts: fresh.posts }
    problems[k] = fresh.problems
    again = true
  }
  if (again) shown = newestFirst(lists, limit)
  // excerpts of the shown posts and of the posts they answer or like (dates only for the rest: a cached post's
  // fields are parsed when first read, so only the shown ones and the ones they point at are)
  const wanted = new Set<string>()
  for (const { post } of shown) for (const id of [post.data.inReplyTo, post.data.object]) if (id) wanted.add(id)
  const byId = new Map(shown.map((i) => [i.post.id, i.post]))
  if ([...wanted].some((id) => !byId.has(id)))
    for (const l of lists) for (const p of l.posts) if (wanted.has(p.id) && !byId.has(p.id)) byId.set(p.id, p)
  const excerpts = new Map<string, string>()
  for (const { post } of shown) {
    for (const id of [post.id, post.data.inReplyTo, post.data.object]) {
      const p = id === undefined ? undefined : byId.get(id)
      if (p && !excerpts.has(p.id)) excerpts.set(p.id, excerpt(p.data.text ?? p.data.title ?? p.data.name ?? p.data.place ?? ''))
    }
  }
  return { items: shown, names, excerpts, problems: problems.flat() }
}

/** The `limit` newest of several lists sorted oldest first: newest published time first, then the greater id. */
function newestFirst(lists: { author: string; posts: Post[] }[], limit: number): TimelineItem[] {
  const at = lists.map((l) => l.posts.length - 1)
  const out: TimelineItem[] = []
  while (out.length < limit) {
    let best = -1
    let bt = 0
    let bid = ''
    for (let k = 0; k < lists.length; k++) {
      if (at[k] < 0) continue
      const p = lists[k].posts[at[k]]
      const t = publishedMs(p)
      if (best < 0 || t > bt || (t === bt && p.id > bid)) [best, bt, bid] = [k, t, p.id]
    }
    if (best < 0) break
    out.push({ author: lists[best].author, post: lists[best].posts[at[best]--] })
  }
  return out
}

const excerpt = (s: string) => {
  const line = s.split('\n')[0].trim()
  return line.length > 50 ? `${line.slice(0, 49)}…` : line
}
