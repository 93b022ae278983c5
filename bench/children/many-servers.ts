// Bench child: PeerFeed servers for many friends in one process (plus "silent" ones that accept connections and never
// answer), so the syncing side in the parent does not share its event loop with them.
import net from 'node:net'
import { layout } from '../../src/paths.ts'
import { startServer } from '../../src/server/index.ts'

const { roots, silent } = JSON.parse(process.argv[2]) as { roots: string[]; silent: number }
const open = { perIp: { rate: 1e9, burst: 1e9 }, perKey: { rate: 1e9, burst: 1e9 }, maxPending: 100_000 }
const servers = await Promise.all(roots.map((r) => startServer({ layout: layout(r), port: 0, limits: open })))
const hangs: net.Server[] = []
for (let i = 0; i < silent; i++) {
  const s = net.createServer((c) => c.on('error', () => {}))
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  hangs.push(s)
}
process.on('message', async (m: { cmd: string }) => {
  if (m.cmd === 'exit') {
    await Promise.all(servers.map((s) => s.close()))
    for (const h of hangs) h.close()
    process.exit(0)
  }
})
process.send!({ urls: servers.map((s) => s.url), silent: hangs.map((h) => `http://127.0.0.1:${(h.address() as net.AddressInfo).port}/`) })
