// Splits an audience's entries into pages with stable cursor ranges, so a new post only changes the newest page.
export const PAGE_SIZE = 100

export interface PlannedPage<E> {
  /** the first cursor this page covers; it keeps it for life */
  start: number
  entries: E[]
}

/**
 * `entries` sorted by cursor; `starts` the page starts from the last build. Entries go to the page whose
 * range holds their cursor; a newest page that grew past `size` is split at its `size`-th entry. Pages
 * that became empty disappear (their range joins the page before).
 */
export function planPages<E extends { c: number }>(entries: readonly E[], starts: readonly number[], size = PAGE_SIZE): PlannedPage<E>[] {
  const pages: PlannedPage<E>[] = (starts.length ? starts : [0]).map((start) => ({ start, entries: [] }))
  let i = 0
  for (const e of entries) {
    while (i + 1 < pages.length && pages[i + 1].start <= e.c) i++
    pages[i].entries.push(e)
  }
  for (let last = pages[pages.length - 1]; last.entries.length > size; last = pages[pages.length - 1]) {
    // never between two entries with the same cursor: a friend at that cursor would miss the second
    let at = size
    while (at < last.entries.length && last.entries[at].c === last.entries[at - 1].c) at++
    if (at === last.entries.length) break
    const rest = last.entries.splice(at)
    pages.push({ start: rest[0].c, entries: rest })
  }
  return pages.filter((p) => p.entries.length > 0)
}
