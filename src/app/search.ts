// Search over every post in the index: words (all must appear), #tags, and from:NAME for an author. Newest first.
import type { Entry, LiveIndex } from '../index/live-index.ts'

export interface Query {
  words: string[]
  tags: string[]
  authors: string[]
}

export function parseQuery(q: string): Query {
  const out: Query = { words: [], tags: [], authors: [] }
  for (const raw of q.toLowerCase().split(/\s+/).filter(Boolean)) {
    if (raw.startsWith('#') && raw.length > 1) out.tags.push(raw.slice(1))
    else if (/^(from|author):./.test(raw)) out.authors.push(raw.slice(raw.indexOf(':') + 1).replace(/^@/, ''))
    else if (raw.startsWith('@') && raw.length > 1) out.authors.push(raw.slice(1))
    else out.words.push(raw)
  }
  return out
}

const textCache = new WeakMap<object, string>()

/** The searchable text of a post, lower case (kept per data object, so an edit is re-read). */
function haystack(e: Entry): string {
  const d = e.post.data
  let s = textCache.get(d)
  if (s === undefined) {
    s = [
      d.text,
      d.title,
      d.url,
      d.name,
      d.place,
      d.location,
      d.activity,
      ...(d.tags ?? []).map((t) => `#${t}`),
      ...(d.attachments ?? []).map((a) => a.alt),
    ]
      .filter(Boolean)
      .join('\n')
      .toLowerCase()
    textCache.set(d, s)
  }
  return s
}

export function searchEntries(index: LiveIndex, q: string, limit: number): Entry[] {
  const query = parseQuery(q)
  if (!query.words.length && !query.tags.length && !query.authors.length) return []
  const me = index.names.get(index.selfFingerprint)
  const authorOk = (e: Entry) => !query.authors.length || query.authors.some((a) => a === e.author || (a === 'me' && e.author === me))
  const out: Entry[] = []
  for (const e of index.sorted()) {
    if (e.post.data.type === 'like') continue
    if (!authorOk(e)) continue
    if (query.tags.length && !query.tags.every((t) => (e.post.data.tags ?? []).some((x) => x.toLowerCase() === t))) continue
    if (query.words.length) {
      const h = haystack(e)
      if (!query.words.every((w) => h.includes(w))) continue
    }
    out.push(e)
    if (out.length >= limit) break
  }
  return out
}

/** Reads every post's searchable text once (at start), so the first search does not pay for it. */
export function warmSearch(index: LiveIndex): void {
  for (const e of index.sorted()) haystack(e)
}
