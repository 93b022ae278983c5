// Which private pages answer an updates request: pure over the build manifest's audiences.
import type { AudienceManifest } from '../protocol/build-manifest.ts'
import type { PageRef } from '../protocol/wire.ts'
import { compareCursors } from '../protocol/cursor-order.ts'

export interface Selection {
  pages: PageRef[]
  next: string | null
}

/**
 * Pages of the given audiences whose last cursor is after `since`, ordered by last cursor (then name),
 * until about `limit` entries. Pages sharing the last cursor of the final one all go in, so asking again
 * with `next` can never skip one.
 */
export function selectPages(
  audiences: readonly AudienceManifest[],
  since: string | null,
  limit: number,
  types?: readonly string[],
): Selection {
  const seen = new Set<string>()
  const candidates: PageRef[] = []
  for (const a of audiences) {
    for (const p of a.pages) {
      if (seen.has(p.name)) continue
      if (since !== null && compareCursors(p.last, since) <= 0) continue
      // A page without types holds only tombstones; deletions concern every reader.
      if (types && p.types.length && !p.types.some((t) => types.includes(t))) continue
      seen.add(p.name)
      candidates.push(p)
    }
  }
  candidates.sort((a, b) => compareCursors(a.last, b.last) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const pages: PageRef[] = []
  let count = 0
  for (const p of candidates) {
    if (count >= limit && compareCursors(p.last, pages[pages.length - 1].last) !== 0) break
    pages.push(p)
    count += p.count
  }
  return { pages, next: pages.length ? pages[pages.length - 1].last : null }
}
