// Where fetched entries go: checked, stored in the inbox, then the cursor moves and the state is saved, in that order.
// A cursor moves only to the newest cursor of an entry that was signed (the caller hands over only those) and
// accepted here: never to a server's `next`, an unsigned index, or an entry that was rejected.
import type { Layout } from '../paths.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import { MAX_ENTRY_DEPTH, nestsDeeperThan } from '../protocol/json-depth.ts'
import { checkEntry, type Accepted } from './check-entry.ts'
import type { Session } from './session.ts'
import { fetchAttachment, pageAudience } from './session.ts'
import { applyEntries, type Counts, type Rejection } from './store.ts'
import { InboxWriter } from './inbox-files.ts'
import { plannedFiles } from './journal.ts'
import { stagingDir, writePending, writeState, type SyncState } from './sync-state.ts'

export interface Sink {
  /** Stores a batch of signed raw entries, moves `cursor` to the newest accepted one, and saves the state. */
  take(raw: readonly unknown[], opts: { isPrivate: boolean; cursor: 'cursor' | 'publicCursor' }): Promise<void>
  counts: Counts
  rejected: Rejection[]
  problems: string[]
}

export const tooDeep = (id?: string): Rejection => ({
  id,
  why: `it nests deeper than ${MAX_ENTRY_DEPTH} levels of lists and objects (a post is flat; refusing it)`,
})

export function sink(layout: Layout, name: string, dir: string, state: SyncState, session: Session): Sink {
  const counts: Counts = { new: 0, updated: 0, deleted: 0, unchanged: 0 }
  const rejected: Rejection[] = []
  const files = new InboxWriter({ staging: stagingDir(layout, name) })
  return {
    counts,
    rejected,
    problems: [],
    async take(raw, { isPrivate, cursor }) {
      const ok: Accepted[] = []
      for (const r of raw) {
        if (nestsDeeperThan(r, MAX_ENTRY_DEPTH)) {
          const id = (r as { id?: unknown })?.id
          rejected.push(tooDeep(typeof id === 'string' ? id.slice(0, 200) : undefined))
          continue
        }
        const c = checkEntry(r, session.friend.key.fingerprint)
        if ('ok' in c) {
          const audience = isPrivate && r && typeof r === 'object' ? pageAudience.get(r) : undefined
          ok.push(audience ? { ...c.ok, audience } : c.ok)
        } else rejected.push({ id: c.id, why: c.rejected })
      }
      // Journal first: if this batch is interrupted, the next sync knows which files it may have left (journal.ts).
      const planned = plannedFiles(ok)
      if (planned.length) await writePending(layout, name, planned)
      const before = rejected.length
      try {
        await applyEntries({ dir, state, counts, rejected, files, fetchFile: (e, a) => fetchAttachment(session, e, a, isPrivate) }, ok)
        // the batch's files are on disk before the cursor that covers them is saved
        await files.commit()
      } catch (e) {
        files.abort()
        // a state written later in this run keeps the journal too (writeState removes the journal file otherwise)
        if (planned.length) state.pending = [...(state.pending ?? []), ...planned]
        throw e
      }
      const refused = new Set(rejected.slice(before).map((r) => r.id))
      for (const e of ok) {
        if (refused.has(e.id)) continue
        const at = state[cursor]
        if (at === null || compareCursors(e.cursor, at) > 0) state[cursor] = e.cursor
      }
      delete state.pending
      state.syncedAt = new Date(session.now()).toISOString()
      await writeState(layout, name, state)
    },
  }
}
