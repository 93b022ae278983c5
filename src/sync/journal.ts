// Interrupted batches: before a batch writes any file, it records which files it may write (`pending`, in
// .peerfeed/sync/NAME.pending.json beside the state, read back into the state by readState); a
// sync that finds `pending` left over removes those the state does not hold (files a killed run put in place, e.g.
// during the batch's commit), so a post written by a killed run and then deleted by its author cannot stay. The cursor never moved past that batch, so the next
// run fetches again whatever still exists.
import fs from 'node:fs'
import path from 'node:path'
import type { Accepted } from './check-entry.ts'
import { monthDir } from './store.ts'
import type { SyncState } from './sync-state.ts'

export interface Pending {
  /** the post's stem */
  s: string
  /** its file under inbox/<name>/ */
  f: string
  /** its attachments, beside it */
  a?: string[]
}

/** The files a batch of accepted entries may write. */
export function plannedFiles(entries: readonly Accepted[]): Pending[] {
  return entries.flatMap((e) => {
    if (!e.post) return []
    const dir = monthDir(e.post.published)
    const a = (e.post.attachments ?? []).map((x) => x.path)
    return [{ s: e.stem, f: `${dir}/${e.stem}.yaml`, ...(a.length ? { a } : {}) }]
  })
}

/** Removes the files of an interrupted batch that the state does not hold; true when there was one (save the state). */
export function repairInterrupted(dir: string, state: SyncState): boolean {
  const pending = state.pending
  if (!pending) return false
  const held = new Set<string>()
  for (const h of Object.values(state.held)) {
    if (!h.f || h.d) continue
    held.add(h.f)
    for (const a of h.a ?? []) held.add(`${path.posix.dirname(h.f)}/${a}`)
  }
  for (const p of pending) {
    for (const f of [p.f, ...(p.a ?? []).map((a) => `${path.posix.dirname(p.f)}/${a}`)]) {
      if (!held.has(f)) fs.rmSync(path.join(dir, f), { force: true })
    }
  }
  delete state.pending
  return true
}
