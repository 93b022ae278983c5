// An in-memory index of loaded posts: by id, by time, by audience, and the replies and likes each post got.
import { sortByPublished } from '../posts/load-posts.ts'
import { audienceOf, type Post } from '../posts/types.ts'

export class PostIndex {
  readonly byId = new Map<string, Post>()
  /** oldest first, ties broken by id: the total order used everywhere */
  readonly byTime: Post[]
  readonly byAudience = new Map<string, Post[]>()
  readonly replies = new Map<string, Post[]>()
  readonly likes = new Map<string, Post[]>()

  constructor(posts: Iterable<Post>) {
    this.byTime = sortByPublished([...posts])
    for (const p of this.byTime) {
      this.byId.set(p.id, p)
      for (const name of audienceOf(p.data)) push(this.byAudience, name, p)
      if (p.data.inReplyTo) push(this.replies, p.data.inReplyTo, p)
      if (p.data.object) push(this.likes, p.data.object, p)
    }
  }

  /** Posts addressed to `name` (a petname, a group, or 'public'), oldest first. */
  forAudience(name: string): Post[] {
    return this.byAudience.get(name) ?? []
  }

  get public(): Post[] {
    return this.forAudience('public')
  }

  /** The newest `n` posts matching `keep`, newest first. */
  newest(n: number, keep: (p: Post) => boolean = () => true): Post[] {
    const out: Post[] = []
    for (let i = this.byTime.length - 1; i >= 0 && out.length < n; i--) if (keep(this.byTime[i])) out.push(this.byTime[i])
    return out
  }

  /** Posts published after `since` (ISO time), oldest first. */
  after(since: string): Post[] {
    const t = Date.parse(since)
    let lo = 0
    let hi = this.byTime.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (Date.parse(this.byTime[mid].data.published) <= t) lo = mid + 1
      else hi = mid
    }
    return this.byTime.slice(lo)
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const a = m.get(k)
  if (a) a.push(v)
  else m.set(k, [v])
}
