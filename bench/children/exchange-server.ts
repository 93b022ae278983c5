// Bench child: runs a PeerFeed server (and, beside it, http-server on a static file) in its own process, answering
// the parent over IPC: {cmd:'rss'|'stats'|'cpu'|'static'|'delay', …}.
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import type net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { layout } from '../../src/paths.ts'
import { startServer } from '../../src/server/index.ts'

const [root, limitsJson] = process.argv.slice(2)
const server = await startServer({ layout: layout(root), port: 0, limits: JSON.parse(limitsJson ?? '{}') })
const require = createRequire(import.meta.url)
let staticDir: string | undefined
// how late the server's own thread runs its callbacks (ms): what no worker can hide
const RESOLUTION_MS = 5
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
delay.enable()

process.on('message', async (m: { cmd: string; size?: number }) => {
  if (m.cmd === 'rss') process.send!({ rss: process.memoryUsage().rss })
  else if (m.cmd === 'stats') process.send!({ stats: server.stats() })
  else if (m.cmd === 'delay') {
    // the event-loop delay since the last ask, in ms, then counting starts afresh; the histogram holds whole sampling
    // intervals (an idle loop reads ~5 ms), so the resolution is taken off to leave the lateness
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100)
    process.send!({ delay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) } })
    delay.reset()
  } else if (m.cmd === 'cpu') {
    const u = process.cpuUsage() // the whole process: main thread and decrypt workers
    process.send!({ cpu: (u.user + u.system) / 1000 })
  } else if (m.cmd === 'static') {
    const dir = (staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'peerfeed-bench-static-')))
    await fs.writeFile(path.join(dir, 'file.json'), Buffer.alloc(m.size!, 0x61))
    const { createServer } = require('http-server') as {
      createServer(o: object): { server: net.Server; listen(p: number, h: string, cb: () => void): void }
    }
    const hs = createServer({ root: dir, showDir: 'false', cache: -1 })
    await new Promise<void>((r) => hs.listen(0, '127.0.0.1', r))
    process.send!({ staticUrl: `http://127.0.0.1:${(hs.server.address() as net.AddressInfo).port}/file.json` })
  } else if (m.cmd === 'exit') {
    await server.close()
    if (staticDir) await fs.rm(staticDir, { recursive: true, force: true })
    process.exit(0)
  }
})
process.send!({ url: server.url })
