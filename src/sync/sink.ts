// Where fetched entries go: checked, stored in the inbox, then the cursor moves and the state is saved, in that order.
import type { Layout } from '../paths.ts'
import { checkEntry, type Accepted } from './check-entry.ts'
import type { Session } from './session.ts'
import { fetchAttachment, pageAudience } from './session.ts'
import { applyEntries, type Counts, type Rejection } from './store.ts'
import { InboxWriter } from './inbox-files.ts'
import { stagingDir, writeState, type SyncState } from './sync-state.ts'

export interface Sink {
  /** Stores a batch of raw entries, then applies `advance` to the state and saves it. */
  take(raw: readonly unknown[], opts: { isPrivate: boolean; advance: (s: SyncState) => void }): Promise<void>
  counts: Counts
  rejected: Rejection[]
  problems: string[]
}

export function sink(layout: Layout, name: string, dir: string, state: SyncState, session: Session): Sink {
  const counts: Counts = { new: 0, updated: 0, deleted: 0, unchanged: 0 }
  const rejected: Rejection[] = []
  const files = new InboxWriter({ staging: stagingDir(layout, name) })
  return {
    counts,
    rejected,
    problems: [],
    async take(raw, { isPrivate, advance }) {
      const ok: Accepted[] = []
      for (const r of raw) {
        const c = checkEntry(r, session.friend.key.fingerprint)
        if ('ok' in c) {
          const audience = isPrivate && r && typeof r === 'object' ? pageAudience.get(r) : undefined
          ok.push(audience ? { ...c.ok, audience } : c.ok)
        }
        else rejected.push({ id: c.id, why: c.rejected })
      }
      try {
        await applyEntries({ dir, state, counts, rejected, files, fetchFile: (e, a) => fetchAttachment(session, e, a, isPrivate) }, ok)
        // the batch's files are on disk before the cursor that covers them is saved
        await files.commit()
      } catch (e) {
        files.abort()
        throw e
      }
      advance(state)
      state.syncedAt = new Date(session.now()).toISOString()
      await writeState(layout, name, state)
    },
  }
}
