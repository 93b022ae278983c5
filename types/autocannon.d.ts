// Just enough of autocannon's API for bench/ (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'
  export interface Result {
    requests: { average: number; total: number; mean: number }
    latency: { p50: number; p99: number; average: number; max: number }
    throughput: { average: number }
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats?: Record<string, { count: number }>
  }
  export interface Instance extends EventEmitter {
    stop(): void
  }
  function autocannon(opts: Record<string, unknown>): Instance & PromiseLike<Result>
  function autocannon(opts: Record<string, unknown>, cb: (err: Error | null, r: Result) => void): Instance
  export default autocannon
}
