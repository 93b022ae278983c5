// Turns index entries into what the app's pages show: names instead of fingerprints, audience labels, image URLs,
// replies threaded under their post and likes with who gave them. Pure over the index.
import { splitId } from '../posts/ids.ts'
import type { Entry, LiveIndex } from '../index/live-index.ts'
import type { PostData } from '../posts/types.ts'

export interface Audience {
  /** public, or private: for some friends or groups (mine), for me alone or a friend's group (theirs) */
  kind: 'public' | 'private'
  label: string
  to: string[]
}

export interface EntryView {
  id: string
  stem: string
  type: PostData['type']
  mine: boolean
  author: { handle: string; name: string; fingerprint: string }
  published: string
  updated?: string
  audience: Audience
  data: Omit<PostData, 'attachments' | 'to'>
  images: { src: string; alt: string; mediaType: string }[]
  files: { src: string; name: string; mediaType: string }[]
  inReplyTo?: { id: string; author: string; excerpt: string; known: boolean }
  likedPost?: { id: string; author: string; excerpt: string; known: boolean }
  likes: { handle: string; name: string; id: string }[]
  /** the id of my like of this post, when I liked it */
  myLike?: string
  replyCount: number
  /** who a reply or like goes to by default: the friend for a friend's post, the same audience for mine */
  replyTo: string[]
  replies?: EntryView[]
}

export interface Groups {
  has(name: string): boolean
}

export class Viewer {
  constructor(
    readonly index: LiveIndex,
    readonly selfName: string,
    readonly groups: Groups,
  ) {}

  nameOf(handle: string): string {
    return handle === 'me' ? this.selfName : handle
  }

  authorOfId(id: string): string {
    const s = splitId(id)
    if (!s) return 'someone'
    const h = this.index.names.get(s.author)
    return h ? this.nameOf(h) : `${s.author.slice(0, 8)}…`
  }

  audience(e: Entry): Audience {
    if (e.author !== 'me') {
      const how = this.index.reachedMeAs(e)
      if (!how) return { kind: 'public', label: 'public', to: ['public'] }
      return { kind: 'private', label: how === 'you' ? 'only you' : `${e.author}'s ${how}`, to: [] }
    }
    const to = e.post.data.to ?? []
    if (!to.length || (to.length === 1 && to[0] === 'public')) return { kind: 'public', label: 'public', to: ['public'] }
    const label = to.map((n) => (this.groups.has(n) ? n : `only ${n}`)).join(', ')
    return { kind: 'private', label: to.length === 1 && !this.groups.has(to[0]) ? `only ${to[0]}` : label, to }
  }

  ref(id: string) {
    const e = this.index.byId.get(id)
    return { id, author: this.authorOfId(id), excerpt: e ? excerpt(e.post.data) : '', known: Boolean(e) }
  }

  /** One entry; with `depth` > 0 its replies threaded under it (depth levels deep). */
  view(e: Entry, depth = 0): EntryView {
    const d = e.post.data
    const { attachments = [], to: _to, ...data } = d
    const base = `/media/${encodeURIComponent(e.post.id.split('/')[0])}/${encodeURIComponent(e.post.stem)}`
    const images = attachments.map((a, i) => ({ a, i })).filter(({ a }) => /^image\//.test(a.mediaType ?? ''))
    const files = attachments.map((a, i) => ({ a, i })).filter(({ a }) => !/^image\//.test(a.mediaType ?? ''))
    const likes = this.index.likesOf(e.post.id)
    const replies = this.index.repliesTo(e.post.id)
    const mine = likes.find((l) => l.author === 'me')
    const audience = this.audience(e)
    const v: EntryView = {
      id: e.post.id,
      stem: e.post.stem,
      type: d.type,
      mine: e.author === 'me',
      author: { handle: e.author, name: this.nameOf(e.author), fingerprint: e.post.author },
      published: d.published,
      ...(d.updated ? { updated: d.updated } : {}),
      audience,
      data,
      images: images.map(({ a, i }) => ({ src: `${base}/${i}`, alt: a.alt ?? '', mediaType: a.mediaType ?? '' })),
      files: files.map(({ a, i }) => ({ src: `${base}/${i}`, name: a.path, mediaType: a.mediaType ?? '' })),
      ...(d.inReplyTo ? { inReplyTo: this.ref(d.inReplyTo) } : {}),
      ...(d.type === 'like' && d.object ? { likedPost: this.ref(d.object) } : {}),
      likes: likes.map((l) => ({ handle: l.author, name: this.nameOf(l.author), id: l.post.id })),
      ...(mine ? { myLike: mine.post.id } : {}),
      replyCount: replies.length,
      replyTo: e.author === 'me' ? (audience.kind === 'public' ? ['public'] : audience.to) : [e.author],
    }
    if (depth > 0) v.replies = replies.map((r) => this.view(r, depth - 1))
    return v
  }
}

/** Shown as a post of its own in a timeline: not a like, and not a reply to a post that is shown above it. */
export function isTopLevel(index: LiveIndex, e: Entry): boolean {
  const d = e.post.data
  if (d.type === 'like') return false
  if (d.type === 'comment' && d.inReplyTo && index.byId.has(d.inReplyTo)) return false
  return true
}

export function excerpt(d: PostData): string {
  const s = String(d.text ?? d.title ?? d.name ?? d.place ?? d.activity ?? d.url ?? d.type)
  const line = s.split('\n')[0].trim()
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}
