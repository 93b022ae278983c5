// Reading: the home timeline (paged), one post with its whole thread, one friend's posts, and search.
import { loadGroups } from '../../identity/groups.ts'
import type { Entry } from '../../index/live-index.ts'
import { HttpError } from '../http.ts'
import type { Request, Router } from '../router.ts'
import { isTopLevel, Viewer } from '../view.ts'
import { searchEntries } from '../search.ts'

const THREAD_DEPTH = 6

export function routes(r: Router) {
  r.get('/api/timeline', async (q) => {
    // a blocked friend's posts leave the timeline (their folder stays; unblocking brings them back)
    const { loadBlocked } = await import('../../identity/blocked.ts')
    const blocked = await loadBlocked(q.app.layout).catch(() => new Set<string>())
    return page(q, await viewer(q), (e) => !blocked.has(e.post.author))
  })
  r.get('/api/posts/:fpr/:stem', async (q) => {
    const v = await viewer(q)
    const e = q.app.index.byId.get(`${q.params.fpr}/${q.params.stem}`)
    if (!e) throw new HttpError(404, 'NO_POST', 'no such post here (deleted, or not synced yet)')
    // the whole thread: walk up to the post that started it, then everything under it
    let root = e
    for (let i = 0; i < 50 && root.post.data.inReplyTo; i++) {
      const up = q.app.index.byId.get(root.post.data.inReplyTo)
      if (!up) break
      root = up
    }
    const target = e.post.data.type === 'like' && e.post.data.object ? (q.app.index.byId.get(e.post.data.object) ?? e) : root
    return { entry: v.view(target, THREAD_DEPTH), focus: e.post.id }
  })
  r.get('/api/friends/:name', async (q) => {
    const name = q.params.name
    const known = q.app.index.fingerprints.get(name)
    if (!known && !q.app.index.friends().includes(name)) throw new HttpError(404, 'NO_FRIEND', `no friend called "${name}"`)
    const { readSyncStatus } = await import('../../sync/sync-status.ts')
    const status = await readSyncStatus(q.app.layout, name).catch(() => undefined)
    const friend = {
      name,
      fingerprint: known ?? null,
      lastSync: status
        ? { at: status.at, ok: status.ok, error: status.error ?? null, lastOk: status.lastOk ?? null, posts: status.posts }
        : null,
    }
    return { friend, ...page(q, await viewer(q), (e) => e.author === name) }
  })
  r.get('/api/search', async (q) => {
    const v = await viewer(q)
    const text = (q.url.searchParams.get('q') ?? '').slice(0, 500)
    const limit = limitOf(q)
    const found = searchEntries(q.app.index, text, limit + 1)
    return { query: text, entries: found.slice(0, limit).map((e) => v.view(e, 0)), more: found.length > limit }
  })
}

export async function viewer(q: Request): Promise<Viewer> {
  const groups = await loadGroups(q.app.layout).catch(() => new Map<string, string[]>())
  return new Viewer(q.app.index, q.app.selfName, groups)
}

const limitOf = (q: Request) => Math.max(1, Math.min(100, Number(q.url.searchParams.get('limit')) || 20))

/** `limit` top-level entries after the `before` cursor (`<ms>~<id>`), each with its thread. */
function page(q: Request, v: Viewer, keep: (e: Entry) => boolean) {
  const limit = limitOf(q)
  const all = q.app.index.sorted()
  let i = 0
  const before = q.url.searchParams.get('before')
  if (before) {
    const cut = before.indexOf('~')
    const t = Number(before.slice(0, cut))
    const id = before.slice(cut + 1)
    if (cut < 0 || !Number.isFinite(t)) throw new HttpError(400, 'BAD_CURSOR', "'before' must be a cursor the app handed out")
    // entries are newest first by (time, id): skip everything at or above the cursor
    let lo = 0
    let hi = all.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const m = all[mid]
      const mt = Date.parse(m.post.data.published)
      if (mt > t || (mt === t && m.post.id >= id)) lo = mid + 1
      else hi = mid
    }
    i = lo
  }
  const out: Entry[] = []
  for (; i < all.length && out.length < limit; i++) if (keep(all[i]) && isTopLevel(q.app.index, all[i])) out.push(all[i])
  let more = false
  for (let j = i; j < all.length; j++)
    if (keep(all[j]) && isTopLevel(q.app.index, all[j])) {
      more = true
      break
    }
  const last = out[out.length - 1]
  return {
    entries: out.map((e) => v.view(e, THREAD_DEPTH)),
    next: more && last ? `${Date.parse(last.post.data.published)}~${last.post.id}` : null,
  }
}
