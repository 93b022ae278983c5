// The cursor ledger: when the owner's build first saw each post version, and each audience's entries and tombstones.
// Pure: `advanceLedger` takes the old ledger and the current posts and returns the new ledger.
import type { Post } from '../posts/types.ts'

export interface AudienceEntry {
  /** cursor of the entry: the post version's cursor, or the time its tombstone was made */
  c: number
  /** a tombstone: the post was deleted or no longer addressed to this audience */
  d?: 1
}

export interface Ledger {
  v: 1
  /** the newest cursor handed out */
  last: number
  /** the current version of every live post: its file hash and the cursor it got when first seen */
  versions: Record<string, { hash: string; cursor: number }>
  /** audience key (`public`, `friend:<name>`, `group:<name>`) → post id → entry */
  audiences: Record<string, Record<string, AudienceEntry>>
  /** audience key → start cursors of its pages */
  pages: Record<string, number[]>
  /** group name → its page-name key and the member set it was made for; rotated when members change */
  groupKeys: Record<string, { members: string; key: string }>
}

export const emptyLedger = (): Ledger => ({ v: 1, last: 0, versions: {}, audiences: {}, pages: {}, groupKeys: {} })

export interface Advance {
  ledger: Ledger
  /** number of new versions (new or edited posts) and tombstones made */
  changed: { versions: number; tombstones: number }
}

/**
 * Gives each new post version a cursor (strictly increasing, never before `now`), records which audiences
 * hold each post, and makes tombstones for posts that disappeared or left an audience.
 * `audiencesOf` maps a post to its audience keys; audiences not in `liveAudiences` are dropped entirely.
 */
export function advanceLedger(
  old: Ledger,
  posts: readonly Post[],
  audiencesOf: (p: Post) => string[],
  liveAudiences: ReadonlySet<string>,
  now = Date.now(),
): Advance {
  let last = old.last
  const next = () => (last = Math.max(now, last + 1))
  const versions: Ledger['versions'] = {}
  let newVersions = 0
  let tombstones = 0
  // posts arrive in published order, so a first build hands out cursors in the order people wrote them
  for (const p of posts) {
    const prev = old.versions[p.id]
    if (prev && prev.hash === p.hash) versions[p.id] = prev
    else {
      versions[p.id] = { hash: p.hash, cursor: next() }
      newVersions++
    }
  }
  const current = new Map<string, Set<string>>()
  for (const p of posts) {
    for (const a of audiencesOf(p)) {
      if (!current.has(a)) current.set(a, new Set())
      current.get(a)!.add(p.id)
    }
  }
  const audiences: Ledger['audiences'] = {}
  const removal = new Map<string, number>() // one cursor per post id that left audiences in this build
  for (const a of [...liveAudiences].sort()) {
    const before = old.audiences[a] ?? {}
    const now = current.get(a) ?? new Set<string>()
    const out: Record<string, AudienceEntry> = {}
    for (const id of now) out[id] = { c: versions[id].cursor }
    for (const [id, e] of Object.entries(before)) {
      if (now.has(id)) continue
      if (e.d) out[id] = e
      else {
        if (!removal.has(id)) removal.set(id, next())
        out[id] = { c: removal.get(id)!, d: 1 }
        tombstones++
      }
    }
    audiences[a] = out
  }
  const pages: Ledger['pages'] = {}
  for (const a of Object.keys(audiences)) if (old.pages[a]) pages[a] = old.pages[a]
  return { ledger: { v: 1, last, versions, audiences, pages, groupKeys: old.groupKeys }, changed: { versions: newVersions, tombstones } }
}
