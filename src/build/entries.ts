// Turns ledger entries into wire entries: the post as JSON, or a tombstone, and where its attachments are.
import type { LedgerEntry } from './ledger.ts'
import type { Post } from '../posts/types.ts'
import type { Entry } from '../protocol/wire.ts'

/** A wire entry; `files` says where each attachment can be fetched. */
export function wireEntry(e: LedgerEntry, post: Post | undefined, files?: (p: Post) => Record<string, string> | undefined): Entry {
  if (e.d || !post) return { cursor: String(e.c), id: e.id, deleted: true }
  const f = files?.(post)
  // `to` holds the owner's petnames and group names: who else got a post is nobody's business
  const { to: _to, ...data } = post.data
  return { cursor: String(e.c), id: e.id, post: data as Post['data'], ...(f && Object.keys(f).length ? { files: f } : {}) }
}

export const typesOf = (entries: Entry[]) => [...new Set(entries.flatMap((e) => (e.post ? [e.post.type] : [])))].sort()
