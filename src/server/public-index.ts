// The public API's answers, precomputed: entry JSON strings in cursor order, binary search on `since`, cached bodies.
import type { Entry } from '../protocol/wire.ts'
import { compareCursors, firstAfter } from '../protocol/cursor-order.ts'

export interface PublicPageInput {
  name: string
  entries: Entry[]
  /** the manifest file's exact text, and its detached armored signature */
  manifest: string
  signature: string
}

export interface PublicIndex {
  size: number
  /** Answer body for GET /api/v1/public. Pure over the index; cached by (position, limit, type). */
  answer(since: string | null, limit: number, type?: string): string
}

interface Slice {
  cursors: string[]
  json: string[]
  page: number[]
}

const CACHE_MAX = 512

export function buildPublicIndex(pages: readonly PublicPageInput[]): PublicIndex {
  const rows: { cursor: string; json: string; page: number; type?: string }[] = []
  pages.forEach((p, i) => {
    for (const e of p.entries) rows.push({ cursor: e.cursor, json: JSON.stringify(e), page: i, type: e.post?.type })
  })
  rows.sort((a, b) => compareCursors(a.cursor, b.cursor))
  const manifests = pages.map((p) => JSON.stringify({ manifest: p.manifest, signature: p.signature }))
  const slice = (keep: (r: (typeof rows)[number]) => boolean): Slice => {
    const kept = rows.filter(keep)
    return { cursors: kept.map((r) => r.cursor), json: kept.map((r) => r.json), page: kept.map((r) => r.page) }
  }
  const all = slice(() => true)
  const byType = new Map<string, Slice>()
  const cache = new Map<string, string>()

  function sliceFor(type?: string): Slice {
    if (type === undefined) return all
    let s = byType.get(type)
    // Tombstones have no type and belong to every typed listing: a reader must learn about deletions.
    if (!s) byType.set(type, (s = slice((r) => r.type === undefined || r.type === type)))
    return s
  }

  return {
    size: rows.length,
    answer(since, limit, type) {
      const s = sliceFor(type)
      const start = firstAfter(s.cursors, since)
      const key = `${start}|${limit}|${type ?? ''}`
      const hit = cache.get(key)
      if (hit !== undefined) return hit
      const end = Math.min(s.cursors.length, start + limit)
      const used: number[] = []
      for (let i = start; i < end; i++) if (used[used.length - 1] !== s.page[i] && !used.includes(s.page[i])) used.push(s.page[i])
      const next = end < s.cursors.length && end > start ? JSON.stringify(s.cursors[end - 1]) : 'null'
      const body = `{"posts":[${s.json.slice(start, end).join(',')}],"next":${next},"manifests":[${used.map((i) => manifests[i]).join(',')}]}`
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string)
      cache.set(key, body)
      return body
    },
  }
}
