// Short post ids: `timeline` prints `NAME/STEM` ('me' or a petname); commands accept it, or any unambiguous prefix.
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { ID_PATTERN } from '../posts/ids.ts'
import type { TimelineItem } from './load-timeline.ts'

/** `me/2026-11-24T09-30-00Z-first-snow`, `alice/…`: what timeline prints for each entry. */
export const shortId = (item: Pick<TimelineItem, 'author' | 'post'>) => `${item.author}/${item.post.stem}`

/**
 * The full id for `ref`: a full id is returned as it is; otherwise `ref` must be a short id, or a prefix of
 * exactly one short id or of exactly one post's file stem, among my posts and my friends'. Pure over the items.
 */
export function matchRef(items: readonly Pick<TimelineItem, 'author' | 'post'>[], ref: string): string {
  const r = ref.trim()
  const full = ID_PATTERN.exec(r)
  if (full && full[1] !== 'self') return r
  const exact = items.filter((i) => shortId(i) === r)
  if (exact.length === 1) return exact[0].post.id
  const hits = new Map<string, string>()
  for (const i of items) {
    const s = shortId(i)
    if (s.startsWith(r) || i.post.stem.startsWith(r) || i.post.id.startsWith(r)) hits.set(i.post.id, s)
  }
  if (hits.size === 1) return [...hits.keys()][0]
  if (hits.size === 0) {
    throw new PeerFeedError(
      'NO_SUCH_POST',
      `no post matches '${r}'; \`peerfeed timeline\` prints each post's short id (like me/2026-11-24T09-30-00Z-first-snow), or give the full id (fingerprint/stem)`,
    )
  }
  const some = [...hits.values()].sort().slice(0, 5)
  throw new PeerFeedError(
    'AMBIGUOUS_POST',
    `'${r}' matches ${hits.size} posts (${some.join(', ')}${hits.size > 5 ? ', …' : ''}); give more of it`,
  )
}

/** Resolves a reference against my posts (feed/) and my friends' (inbox/). */
export async function resolvePostRef(layout: Layout, ref: string): Promise<string> {
  const full = ID_PATTERN.exec(ref.trim())
  if (full && full[1] !== 'self') return ref.trim()
  const { loadTimeline } = await import('./load-timeline.ts')
  const t = await loadTimeline(layout, { limit: Number.POSITIVE_INFINITY })
  return matchRef(t.items, ref)
}
