// Token buckets per client (IP or key fingerprint): cheap, in memory, forgotten when full again.
import { PeerFeedError } from '../errors.ts'

export interface Bucket {
  rate: number
  burst: number
}

export interface RateLimiter {
  /** Takes one token for `who` or throws RATE_LIMITED. */
  take(who: string, now: number): void
}

export function rateLimiter({ rate, burst }: Bucket, { what = 'requests', max = 100_000 } = {}): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(who, now) {
      let b = buckets.get(who)
      if (!b) {
        if (buckets.size >= max) buckets.clear() // a flood of distinct clients: start over rather than grow
        b = { tokens: burst, at: now }
        buckets.set(who, b)
      }
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate)
      b.at = now
      if (b.tokens < 1) throw new PeerFeedError('RATE_LIMITED', `too many ${what}; slow down (at most ${rate}/s, bursts of ${burst}).`)
      b.tokens -= 1
    },
  }
}
