// Notifications: friends' comments and likes on my posts and posts for me alone, from the live index; the badge count;
// marking them read when seen (kept per device).
import { computeNotifications } from '../../timeline/notifications.ts'
import { markNotificationsRead, readNotificationState } from '../../timeline/notification-state.ts'
import { readJson } from '../http.ts'
import type { Request, Router } from '../router.ts'
import { viewer } from './read.ts'

async function compute(q: Request) {
  const { loadBlocked } = await import('../../identity/index.ts')
  const { heldAudiences } = await import('../../sync/sync-state.ts')
  const index = q.app.index
  const entries = index.sorted()
  const audiences = new Map<string, Map<string, string>>()
  for (const name of index.friends()) audiences.set(name, await heldAudiences(q.app.layout, name))
  return computeNotifications({
    mine: new Set(entries.filter((e) => e.author === 'me').map((e) => e.post.id)),
    friends: entries.filter((e) => e.author !== 'me').map((e) => ({ ...e, audience: audiences.get(e.author)?.get(e.post.stem) })),
    read: await readNotificationState(q.app.layout),
    blocked: await loadBlocked(q.app.layout),
  })
}

export function routes(r: Router) {
  r.get('/api/notifications', async (q) => {
    const all = await compute(q)
    const v = await viewer(q)
    const limit = Math.max(1, Math.min(200, Number(q.url.searchParams.get('limit')) || 50))
    return {
      unread: all.filter((n) => !n.read).length,
      items: all.slice(0, limit).map((n) => {
        const about = n.about ? q.app.index.byId.get(n.about) : undefined
        return {
          id: n.id,
          kind: n.kind,
          read: n.read,
          entry: v.view(q.app.index.byId.get(n.id)!, 0),
          ...(about ? { about: v.ref(about.post.id) } : {}),
        }
      }),
    }
  })
  r.get('/api/notifications/count', async (q) => ({ unread: (await compute(q)).filter((n) => !n.read).length }))
  r.post('/api/notifications/read', async (q) => {
    const body = await readJson(q.req)
    const all = await compute(q)
    const ids =
      body.all === true ? all.map((n) => n.id) : Array.isArray(body.ids) ? body.ids.filter((x): x is string => typeof x === 'string') : []
    await markNotificationsRead(q.app.layout, ids, { current: all.map((n) => n.id) })
    q.app.events.send('notifications', { unread: (await compute(q)).filter((n) => !n.read).length })
    return { ok: true }
  })
}
