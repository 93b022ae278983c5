// Syncing from the app: `Sync now` starts a run (or joins the one going), the state of the current run per friend;
// progress and new posts reach open pages over the event stream ('sync' and 'posts').
import { HttpError } from '../http.ts'
import type { Request, Router } from '../router.ts'

const runner = (q: Request) => {
  if (!q.app.sync) throw new HttpError(409, 'SYNC_OFF', 'this app was started without syncing')
  return q.app.sync
}

export function routes(r: Router) {
  r.get('/api/sync', (q) => ({ sync: runner(q).view() }))
  r.post('/api/sync', (q) => ({ sync: runner(q).now() }))
}
