// Who I am and whom I can address: my name and key, my groups and friends (for the audience picker), build state.
import { listGroups } from '../../identity/groups.ts'
import { formatFingerprint } from '../../identity/names.ts'
import type { Router } from '../router.ts'

export function routes(r: Router) {
  r.get('/api/me', async (q) => {
    const groups = await listGroups(q.app.layout).catch(() => [])
    const friends = [...q.app.index.fingerprints.keys()].sort()
    return {
      name: q.app.selfName,
      fingerprint: q.app.index.selfFingerprint,
      fingerprintFormatted: formatFingerprint(q.app.index.selfFingerprint),
      audiences: { groups: groups.map((g) => ({ name: g.name, members: g.members })), friends },
      inboxes: q.app.index.friends(),
      build: q.app.build,
    }
  })
}
