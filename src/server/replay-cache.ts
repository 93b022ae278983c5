// Remembers the nonces of accepted requests for as long as their sentAt is fresh, so a captured request cannot be replayed.
import { PeerFeedError } from '../errors.ts'
import { FRESHNESS_MS } from './updates-request.ts'

export interface ReplayCache {
  /** Throws REPLAYED when this signer already used the nonce within the freshness window. */
  check(signer: string, nonce: string, now: number): void
  size(): number
}

export function replayCache({ max = 200_000 } = {}): ReplayCache {
  const seen = new Map<string, number>() // key → expiry (insertion order ≈ expiry order)
  const prune = (now: number) => {
    for (const [k, exp] of seen) {
      if (exp > now && seen.size < max) break
      seen.delete(k)
    }
  }
  return {
    check(signer, nonce, now) {
      const key = `${signer}:${nonce}`
      const exp = seen.get(key)
      if (exp !== undefined && exp > now) throw new PeerFeedError('REPLAYED', 'this request (its nonce) was already used; send a fresh request with a new nonce.')
      prune(now)
      // A nonce stays remembered for two windows: sentAt may be up to 5 minutes in the future.
      seen.set(key, now + 2 * FRESHNESS_MS)
    },
    size: () => seen.size,
  }
}
