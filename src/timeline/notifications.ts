// Notifications: friends' comments and likes on my posts, and posts addressed to me alone — computed from the
// timeline's posts, with read/unread kept per device (notification-state.ts). The rule itself is pure.
import type { Layout } from '../paths.ts'
import type { Post } from '../posts/types.ts'
import { readNotificationState, type NotificationState } from './notification-state.ts'

export type NotificationKind = 'comment' | 'like' | 'to-you'

export interface Notification {
  /** the friend's post that is the notification (stable across edits) */
  id: string
  kind: NotificationKind
  /** the friend's petname */
  author: string
  post: Post
  /** for a comment or like: the id of my post it refers to */
  about?: string
  read: boolean
}

export interface FriendPost {
  author: string
  post: Post
  /** how it reached me: 'you' (a page for me alone), a group's name, or undefined (public) */
  audience?: string
}

/**
 * Newest first. A comment on my post or a like of it counts whatever its audience; any other post counts when it
 * came on a page for me alone. Blocked authors (by fingerprint) never count.
 */
export function computeNotifications(input: {
  mine: ReadonlySet<string>
  friends: Iterable<FriendPost>
  read: NotificationState
  blocked?: ReadonlySet<string>
}): Notification[] {
  const out: Notification[] = []
  for (const f of input.friends) {
    const d = f.post.data
    if (input.blocked?.has(f.post.author)) continue
    let kind: NotificationKind | undefined
    let about: string | undefined
    if (d.type === 'comment' && d.inReplyTo && input.mine.has(d.inReplyTo)) [kind, about] = ['comment', d.inReplyTo]
    else if (d.type === 'like' && d.object && input.mine.has(d.object)) [kind, about] = ['like', d.object]
    else if (f.audience === 'you' && d.type !== 'like') kind = 'to-you'
    if (!kind) continue
    out.push({ id: f.post.id, kind, author: f.author, post: f.post, ...(about ? { about } : {}), read: input.read.read.has(f.post.id) })
  }
  const t = (n: Notification) => Date.parse(n.post.data.published)
  return out.sort((a, b) => t(b) - t(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
}

export interface Notifications {
  items: Notification[]
  unread: number
}

/** Everything from the files: my posts, friends' inbox posts, how each reached me, the block list, what I have read. */
export async function loadNotifications(layout: Layout, { limit = 200 }: { limit?: number } = {}): Promise<Notifications> {
  const { loadTimeline } = await import('./load-timeline.ts')
  const { loadBlocked } = await import('../identity/index.ts')
  const { heldAudiences } = await import('../sync/sync-state.ts')
  const [timeline, blocked, read] = await Promise.all([
    loadTimeline(layout, { limit: Number.POSITIVE_INFINITY }),
    loadBlocked(layout),
    readNotificationState(layout),
  ])
  const mine = new Set(timeline.items.filter((i) => i.author === 'me').map((i) => i.post.id))
  const audiences = new Map<string, Map<string, string>>()
  for (const name of new Set(timeline.items.map((i) => i.author))) if (name !== 'me') audiences.set(name, await heldAudiences(layout, name))
  const friends = timeline.items
    .filter((i) => i.author !== 'me')
    .map((i) => ({ ...i, audience: audiences.get(i.author)?.get(i.post.stem) }))
  const items = computeNotifications({ mine, friends, read, blocked })
  return { items: items.slice(0, limit), unread: items.filter((n) => !n.read).length }
}
