// Received entries go to the sink a few answers at a time: one journal, one flush and one state write per batch
// instead of one per answer. Batches are stored one after another, in the order received; after a batch failed
// to store, no later one is (its cursor would claim the failed batch's posts).
import type { Entry } from '../protocol/wire.ts'
import type { Sink } from './sink.ts'

/** Entries per stored batch (an interruption re-asks for at most this many). */
export const TAKE_AT = 2000

export interface Batches {
  /** Holds entries; once `size` are held, stores them before it returns. */
  add(entries: Entry[]): Promise<void>
  /** Stores what is held (nothing once a batch has failed). */
  flush(): Promise<void>
}

export function batches(out: Sink, opts: Parameters<Sink['take']>[1], size = TAKE_AT): Batches {
  const held: Entry[] = []
  let failed = false
  const take = async () => {
    if (failed || held.length === 0) return
    try {
      await out.take(held.splice(0), opts)
    } catch (e) {
      failed = true
      throw e
    }
  }
  return {
    async add(entries) {
      held.push(...entries)
      if (held.length >= size) await take()
    },
    flush: take,
  }
}
