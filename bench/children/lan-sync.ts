// Bench child (inside a network namespace): times a sync of a friend followed without a URL, found on the LAN.
// Cold once (a fresh process loads openpgp and friends), then warm five times (inbox and cursors reset in between).
import fs from 'node:fs/promises'
import path from 'node:path'
import { discoveryRoutes } from '../../src/discovery/sync-routes.ts'
import { layout } from '../../src/paths.ts'
import { syncAll } from '../../src/sync/index.ts'

const l = layout(process.argv[2])
const once = async () => {
  await fs.rm(l.inbox, { recursive: true, force: true })
  await fs.rm(path.join(l.state, 'sync'), { recursive: true, force: true })
  const found = discoveryRoutes({ dht: false })
  const t0 = performance.now()
  const s = await syncAll(l, { routes: found.routes })
  const ms = performance.now() - t0
  await found.close()
  if (s.failed) throw new Error(JSON.stringify(s.friends[0].error))
  return { ms, posts: s.new, via: s.friends[0].via }
}
const cold = await once()
const warm = []
for (let i = 0; i < 5; i++) warm.push(await once())
const warmMs = warm.map((w) => w.ms).sort((a, b) => a - b)[2]
console.log('result ' + JSON.stringify({ coldMs: cold.ms, warmMs, posts: warm[0].posts, via: warm[0].via }))
