// Bench child: an open-model load generator at a constant arrival rate (as wrk2 does). Request i is due at
// start + i / rate whether or not earlier ones were answered, and its latency runs from that due time, not from when
// it left (no coordinated omission: a stalled server makes every request behind it late, and that is counted).
// It runs in its own process so its timers do not share an event loop with the parent's work.
// IPC in: a PacedJob; out: { result: PacedResult }.
import http from 'node:http'

export interface PacedJob {
  url: string
  method?: string
  headers?: Record<string, string>
  /** one body per request (request i sends bodies[i]); without bodies, `count` requests without one */
  bodies?: string[]
  count?: number
  /** requests a second, in all */
  rate: number
  /** keep-alive connections the pool may open (at most; idle ones are reused first) */
  connections?: number
  /** a request unanswered after this long counts as an error */
  timeoutMs?: number
}

export interface PacedResult {
  sent: number
  /** 2xx answers */
  ok: number
  non2xx: number
  errors: number
  /** latency in ms from each answered request's due time to the end of its answer */
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  /** requests sent a second (due times kept) and answered a second, over the run */
  rateSent: number
  rateDone: number
  durationMs: number
  /** the generator's own worst lateness in sending (its timers); latency includes it */
  sendLagMaxMs: number
  /** sockets the pool opened */
  sockets: number
  /** this process's CPU time over the run, ms */
  clientCpuMs: number
}

export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export async function paced(job: PacedJob): Promise<PacedResult> {
  const { url, method = 'GET', headers = {}, bodies, rate, connections = 50, timeoutMs = 10_000 } = job
  const count = bodies ? bodies.length : (job.count ?? 0)
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })
  let sockets = 0
  const target = new URL(url)
  const latencies: number[] = []
  let ok = 0
  let non2xx = 0
  let errors = 0
  let done = 0
  let sendLagMax = 0
  let firstSend = 0
  let lastSend = 0
  let lastEnd = 0
  const interval = 1000 / rate
  const cpu0 = process.cpuUsage()
  const start = performance.now() + 20

  return new Promise<PacedResult>((resolve) => {
    const finish = () => {
      if (++done < count) return
      const end = Math.max(lastEnd, performance.now())
      agent.destroy()
      const sorted = latencies.sort((a, b) => a - b)
      const cpu = process.cpuUsage(cpu0)
      const r2 = (n: number) => Math.round(n * 100) / 100
      resolve({
        sent: count,
        ok,
        non2xx,
        errors,
        p50: r2(percentile(sorted, 0.5)),
        p90: r2(percentile(sorted, 0.9)),
        p99: r2(percentile(sorted, 0.99)),
        max: r2(sorted.at(-1) ?? Number.NaN),
        mean: r2(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
        rateSent: r2(count > 1 ? ((count - 1) / (lastSend - firstSend)) * 1000 : 0),
        rateDone: r2(((ok + non2xx) / (end - start)) * 1000),
        durationMs: Math.round(end - start),
        sendLagMaxMs: r2(sendLagMax),
        sockets,
        clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      })
    }
    const fire = (i: number) => {
      const due = start + i * interval
      const now = performance.now()
      if (i === 0) firstSend = now
      lastSend = now
      sendLagMax = Math.max(sendLagMax, now - due)
      const body = bodies?.[i]
      let settled = false
      const settle = (status: number | undefined) => {
        if (settled) return
        settled = true
        if (status === undefined) errors++
        else {
          lastEnd = performance.now()
          latencies.push(lastEnd - due)
          if (status >= 200 && status < 300) ok++
          else non2xx++
        }
        finish()
      }
      const req = http.request(
        target,
        {
          method,
          agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => settle(res.statusCode))
          res.on('error', () => settle(undefined))
        },
      )
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', () => settle(undefined))
      req.end(body)
    }
    const create = agent.createConnection.bind(agent)
    agent.createConnection = ((...args: Parameters<typeof create>) => {
      sockets++
      return create(...args)
    }) as typeof agent.createConnection
    let next = 0
    const tick = () => {
      const now = performance.now()
      while (next < count && start + next * interval <= now) fire(next++)
      if (next < count) setTimeout(tick, Math.max(0, start + next * interval - performance.now()))
    }
    if (count === 0) throw new Error('paced: nothing to send (give bodies or a count)')
    setTimeout(tick, 20)
  })
}

if (process.send) {
  process.once('message', async (job: PacedJob) => {
    process.send!({ result: await paced(job) }, () => process.exit(0))
  })
}
