// Bench child: the build's first step (ledgerView) in a process of its own, as a CLI build meets it: the JIT cold,
// nothing in memory. Args: root [snapshot] [--save]. Prints {how, versions, wall, cpu[, saveWall, saveCpu]} as JSON.
import { versionCount } from '../../src/build/ledger.ts'
import { ledgerView, saveLedgerView } from '../../src/build/ledger-cache.ts'

const [root, snapshot, save] = process.argv.slice(2)
const c0 = process.cpuUsage()
const t0 = performance.now()
const r = await ledgerView(root, { snapshot: snapshot || undefined })
const wall = performance.now() - t0
const u = process.cpuUsage(c0)
const out: Record<string, unknown> = { how: r.how, versions: versionCount(r.view), wall, cpu: (u.user + u.system) / 1000 }
if (save === '--save' && snapshot) {
  const c1 = process.cpuUsage()
  const t1 = performance.now()
  await saveLedgerView(root, snapshot)
  const s = process.cpuUsage(c1)
  Object.assign(out, { saveWall: performance.now() - t1, saveCpu: (s.user + s.system) / 1000 })
}
process.stdout.write(JSON.stringify(out))
