// Cursor comparison without BigInt on the hot path: cursors are decimal strings, compared by length then digits.
import { PeerFeedError } from '../errors.ts'

/** A cursor as sent by a client, without leading zeros; throws BAD_QUERY when it is not a cursor. */
export function normalizeCursor(s: string, what = 'since'): string {
  if (!/^\d{1,20}$/.test(s))
    throw new PeerFeedError(
      'BAD_QUERY',
      `'${what}' must be a cursor (decimal digits, as received in 'next'), not ${JSON.stringify(s.slice(0, 40))}.`,
    )
  return s.replace(/^0+(?=\d)/, '')
}

/** -1, 0 or 1 for normalized cursors. */
export function compareCursors(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** Index of the first cursor strictly after `since` in an ascending array (binary search). */
export function firstAfter(sorted: readonly string[], since: string | null): number {
  if (since === null) return 0
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareCursors(sorted[mid], since) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}
