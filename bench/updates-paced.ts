// POST /api/v1/updates alone at a constant rate (bench/children/paced-client.ts) against a server child, beside the
// http-server anchor on the same schedule: the quick loop for the p99 target without the rest of bench/exchange.ts.
// BENCH_RATE (300), BENCH_UPDATES (3000 requests), BENCH_WARMUP (3000 requests before), BENCH_DECRYPT_WORKERS (2),
// BENCH_SERVER_ARGS (node flags for the server child, e.g. --cpu-prof or --trace-gc), BENCH_THREADS=1 (the server's
// CPU time thread by thread, from /proc).
import { fork } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { PacedJob, PacedResult } from './children/paced-client.ts'
import { pairWithRequests } from './friend-requests.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

function child(file: string, args: string[], execArgv: string[] = []) {
  const proc = fork(path.join(here, 'children', file), args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (!(key in m)) return
        proc.off('message', on)
        proc.off('exit', gone)
        resolve(m[key] as T)
      }
      const gone = (code: number) => reject(new Error(`${file} exited (${code}) before sending ${key}`))
      proc.on('message', on)
      proc.once('exit', gone)
    })
  const ask = <T>(cmd: object, key: string) => {
    const p = next<T>(key)
    proc.send(cmd)
    return p
  }
  return { proc, next, ask }
}

/** CPU time of each thread of a process (Linux /proc; clock ticks of 10 ms), ms by thread id. */
function threads(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(tid, { name, ms: (Number(f[11]) + Number(f[12])) * 10 })
    }
  } catch {}
  return out
}

export const pacedClient = (job: PacedJob) => child('paced-client.ts', []).ask<PacedResult>(job, 'result')

export async function run() {
  const rate = Number(process.env.BENCH_RATE ?? 300)
  const n = Number(process.env.BENCH_UPDATES ?? 3000)
  const workers = Number(process.env.BENCH_DECRYPT_WORKERS ?? 2)
  const warm = Number(process.env.BENCH_WARMUP ?? 3000)
  const { alice, bob, bodies } = await pairWithRequests(n + warm, '9999999999999')
  const limits = { perIp: { rate: 1e9, burst: 1e9 }, perKey: { rate: 1e9, burst: 1e9 }, maxPending: 100_000, decryptWorkers: workers }
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)
  const server = child('exchange-server.ts', [alice.root, JSON.stringify(limits)], extra)
  const url = await server.next<string>('url')
  const updatesUrl = new URL('api/v1/updates', url).href
  const headers = { 'content-type': 'application/pgp-encrypted' }
  const staticUrl = await server.ask<string>({ cmd: 'static', size: 300 }, 'staticUrl')
  try {
    // warm up (JIT, openpgp's lazy modules, each worker): openpgp.js takes ~1,000 requests in a thread to reach its
    // speed, and the requests are shared among the workers
    if (warm) await pacedClient({ url: updatesUrl, method: 'POST', headers, bodies: bodies.slice(n), rate })
    const loadBefore = load()
    await server.ask({ cmd: 'delay' }, 'delay')
    const t0 = threads(server.proc.pid!)
    const c0 = await server.ask<number>({ cmd: 'cpu' }, 'cpu')
    const r = await pacedClient({ url: updatesUrl, method: 'POST', headers, bodies: bodies.slice(0, n), rate })
    const cpu = (await server.ask<number>({ cmd: 'cpu' }, 'cpu')) - c0
    const t1 = threads(server.proc.pid!)
    if (process.env.BENCH_THREADS) {
      // the main thread has the process's id; decrypt workers start last; V8's and libuv's helper threads in between
      const rows = [...t1].map(([tid, v]) => ({ tid, name: v.name, ms: v.ms - (t0.get(tid)?.ms ?? 0) })).filter((x) => x.ms > 0)
      for (const x of rows.sort((a, b) => b.ms - a.ms)) console.log(`  thread ${x.tid} ${x.name}: ${(x.ms / n).toFixed(3)} ms a request`)
    }
    const delay = await server.ask<{ p50: number; p99: number; max: number }>({ cmd: 'delay' }, 'delay')
    const a = await pacedClient({ url: staticUrl, count: n, rate })
    console.log(
      `updates-paced: POST /api/v1/updates at a constant ${rate} req/s, ${n} requests, ${workers} decrypt workers: p50 ${r.p50} ms, p90 ${r.p90} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.non2xx} non-2xx, ${r.errors} errors   (target p99 ≤ 50 ms: ${r.p99 <= 50 && !r.non2xx && !r.errors ? 'met' : 'MISSED'})`,
    )
    console.log(
      `  server CPU ${(cpu / n).toFixed(2)} ms a request (${Math.round((cpu / r.durationMs) * 100)} % of one core); server event-loop delay p99 ${delay.p99} ms, max ${delay.max} ms; client ${r.sockets} connections, CPU ${r.clientCpuMs} ms, worst send lag ${r.sendLagMaxMs} ms`,
    )
    console.log(`  anchor: http-server, a 300-byte file on the same schedule: p50 ${a.p50} ms, p99 ${a.p99} ms, max ${a.max} ms`)
    console.log(`  load average ${loadBefore} before, ${load()} after`)
  } finally {
    await new Promise((r) => {
      server.proc.once('exit', r)
      server.proc.send({ cmd: 'exit' })
    })
    for (const l of [alice, bob]) await fs.rm(l.root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
