// Paces refusals per address: a client whose update requests keep being refused gets its next refusals late
// (the connection is simply held), so a garbage flood from a few connections slows to a trickle and costs little,
// while answered requests — a friend's sync from the same address — are never delayed.
import type { Bucket } from './rate-limit.ts'

export interface RefusalPace {
  /** How long to hold this refusal before sending it (0: at once); `undefined`: too many are held, drop the connection. */
  delay(who: string, now: number): number | undefined
  /** A held refusal was sent (or its client went away). */
  released(): void
  held(): number
}

export function refusalPace(
  { rate, burst }: Bucket,
  { delayMs, maxHeld = 1000, max = 100_000 }: { delayMs: number; maxHeld?: number; max?: number },
): RefusalPace {
  const buckets = new Map<string, { tokens: number; at: number }>()
  let held = 0
  return {
    delay(who, now) {
      if (delayMs <= 0) return 0
      let b = buckets.get(who)
      if (!b) {
        if (buckets.size >= max) buckets.clear()
        b = { tokens: burst, at: now }
        buckets.set(who, b)
      }
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate)
      b.at = now
      if (b.tokens >= 1) {
        b.tokens -= 1
        return 0
      }
      if (held >= maxHeld) return undefined
      held++
      return delayMs
    },
    released() {
      held--
    },
    held: () => held,
  }
}
