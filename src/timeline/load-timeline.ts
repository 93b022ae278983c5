// The timeline's data: my posts (feed/) and each friend's (inbox/NAME/), newest first. Reads files, nothing else.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { loadPosts, publishedMs } from '../posts/load-posts.ts'
import type { Post } from '../posts/types.ts'

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
  // the two modules it needs, not identity's index (which brings QR codes and the Web Key Directory along)
  const { loadSelf } = await import('../identity/self.ts')
  const { scanPeers } = await import('../identity/peers.ts')
  const { loadBlocked } = await import('../identity/blocked.ts')
  const { readFollows } = await import('../sync/follows.ts')
  const self = await loadSelf(layout)
  const names = new Map<string, string>([[self.fingerprint, 'me']])
  const fprOf = new Map<string, string>()
  for (const p of await scanPeers(layout))
    if (p.key) {
      names.set(p.key.fingerprint, p.name)
      fprOf.set(p.name, p.key.fingerprint)
    }
  for (const f of await readFollows(layout).catch(() => []))
    if (f.fingerprint && !fprOf.has(f.name)) {
      names.set(f.fingerprint, f.name)
      fprOf.set(f.name, f.fingerprint)
    }
  // a blocked friend's posts leave my timeline (their inbox/ folder stays as it is, for an unblock)
  const blocked = await loadBlocked(layout).catch(() => new Set<string>())
  const isBlocked = (name: string) => blocked.has(fprOf.get(name) ?? '')
  const friends = (await fs.readdir(layout.inbox, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !isBlocked(d.name))
    .map((d) => d.name)
    .sort()
  if (from && from !== 'me' && !friends.includes(from)) {
    throw new PeerFeedError(
      'UNKNOWN_AUTHOR',
      `nothing from "${from}" in ${path.relative(layout.root, layout.inbox) || 'inbox'}/; known: me${friends.length ? `, ${friends.join(', ')}` : ''}.`,
    )
  }
  const items: TimelineItem[] = []
  const problems: Problem[] = []
  if (!from || from === 'me') {
    const mine = await loadPosts(layout, { fingerprint: self.fingerprint })
    items.push(...mine.posts.map((post) => ({ author: 'me', post })))
    problems.push(...mine.problems)
  }
  for (const name of friends) {
    if (from && from !== name) continue
    const loaded = await loadPosts(layout, {
      dir: path.join(layout.inbox, name),
      fingerprint: fprOf.get(name) ?? 'self',
      cacheFile: path.join(layout.state, 'cache', `inbox-${name}.cache`),
    })
    items.push(...loaded.posts.map((post) => ({ author: name, post })))
    problems.push(...loaded.problems)
  }
  // dates only: a cached post's fields are parsed when first read, so only the shown ones are
  const keyed = items.map((i) => ({ t: publishedMs(i.post), i }))
  keyed.sort((a, b) => b.t - a.t || (a.i.post.id < b.i.post.id ? 1 : a.i.post.id > b.i.post.id ? -1 : 0))
  const shown = keyed.slice(0, limit).map((k) => k.i)
  // excerpts of the shown posts and of the posts they answer or like
  const byId = new Map(items.map((i) => [i.post.id, i.post]))
  const excerpts = new Map<string, string>()
  for (const { post } of shown) {
    for (const id of [post.id, post.data.inReplyTo, post.data.object]) {
      const p = id === undefined ? undefined : byId.get(id)
      if (p && !excerpts.has(p.id)) excerpts.set(p.id, excerpt(p.data.text ?? p.data.title ?? p.data.name ?? p.data.place ?? ''))
    }
  }
  return { items: shown, names, excerpts, problems }
}

const excerpt = (s: string) => {
  const line = s.split('\n')[0].trim()
  return line.length > 50 ? `${line.slice(0, 49)}…` : line
}
