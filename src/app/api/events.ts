// GET /api/events: a Server-Sent Events stream of changes (posts added, edited, deleted; builds finished).
import type { Router } from '../router.ts'

export function routes(r: Router) {
  r.get('/api/events', (q) => {
    q.app.events.attach(q.res, q.session?.id)
    q.app.events.send('hello', { build: q.app.build })
  })
}
