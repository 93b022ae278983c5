// A route with a short deadline to first answer and a stop signal: an unreachable friend costs seconds, not minutes.
import { PeerFeedError } from '../errors.ts'
import type { Route } from './transport.ts'

const seconds = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`

/**
 * The same route, but its first request must get an answer (status and headers) within `reachMs`, and every
 * request stops when `signal` aborts. Once the route has answered, the usual per-request limits apply.
 */
export function withReach(route: Route, { reachMs, signal }: { reachMs?: number; signal?: AbortSignal }): Route {
  let answered = false
  // a route that let its first request go unanswered is not asked again in this sync: each further request would
  // wait out the same deadline (the key, then the API, then the public pages)
  let unreachable: PeerFeedError | undefined
  return {
    ...route,
    fetch: async (url, init = {}) => {
      if (unreachable) throw unreachable
      const signals = [init.signal, signal].filter((s): s is AbortSignal => Boolean(s))
      let timer: NodeJS.Timeout | undefined
      if (!answered && reachMs !== undefined) {
        const ac = new AbortController()
        timer = setTimeout(() => {
          unreachable = new PeerFeedError('UNREACHABLE', `no answer within ${seconds(reachMs)}`)
          ac.abort(unreachable)
        }, reachMs)
        signals.push(ac.signal)
      }
      try {
        const res = await route.fetch(url, { ...init, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] })
        answered = true
        unreachable = undefined
        return res
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** The error a stopped sync reports: plain words, and the reason the caller gave. */
export function stopped(signal: AbortSignal): PeerFeedError {
  const why = signal.reason instanceof Error ? signal.reason.message : typeof signal.reason === 'string' ? signal.reason : 'stopped'
  return new PeerFeedError('STOPPED', `sync was stopped (${why}) before this friend was done; what arrived is kept.`)
}
