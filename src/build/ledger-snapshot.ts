// The merged ledger view on disk (.peerfeed/build/ledger-view.bin), so that a new process — every CLI build — starts
// from the last build's view instead of parsing every line and computing every effective cursor again. It holds
// what ledger-cache.ts keeps in memory: per ledger file the bytes read and their sha256 (checked on every read, so a
// changed file is always seen), every build's head, and the view, in columns that load fast:
//   u32 header length, JSON header {v, files, last, newest, stems, entries, audiences: [name…], heads}
//   (heads: every build's [device, n, seen, k, m, base, at, to], see HeadRec in ledger-derive.ts)
//   latin1: the stems by slot, joined by \n
//   f64: by slot the version's cursor and hash (two 32-bit halves; -1 before any version), the entries' cursors
//   (negative: a tombstone)
//   i32: per slot its first entry, the entries' audiences and next entries (the view's columns, see ledger.ts)
import type { LedgerView } from './ledger.ts'
import type { HeadRec } from './ledger-derive.ts'

export interface SnapFile {
  parsed: number
  digest: string
  lastN: number
}

const VERSION = 2

export function encodeSnapshot(files: Map<string, SnapFile>, view: LedgerView, heads?: HeadRec[]): Buffer {
  const textBufs = [Buffer.from(view.stems.join('\n'), 'latin1')]
  const header = Buffer.from(
    JSON.stringify({
      v: VERSION,
      files: Object.fromEntries(files),
      last: view.last,
      newest: view.newest,
      stems: view.stems.length,
      entries: view.entAud.length,
      audiences: view.audNames,
      texts: textBufs.map((b) => b.length),
      heads: heads?.map((h) => [h.dev, h.n, h.seen, h.k, h.k ? h.m : null, h.base, h.at, h.to]),
    }),
  )
  const len = Buffer.alloc(4)
  len.writeUInt32LE(header.length)
  const head = Buffer.concat([len, header, ...textBufs])
  // the numbers start 8-aligned, so they can be read in place
  const pad = Buffer.alloc((8 - (head.length % 8)) % 8)
  const columns = [
    Float64Array.from(view.cursors),
    Float64Array.from(view.hashHi),
    Float64Array.from(view.hashLo),
    Float64Array.from(view.entC),
    Int32Array.from(view.first),
    Int32Array.from(view.entAud),
    Int32Array.from(view.next),
  ]
  return Buffer.concat([head, pad, ...columns.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))])
}

/** A plain array (the view grows its columns) of a typed one: a loop, many times faster than Array.from's iterator. */
function toArray(t: Float64Array | Int32Array): number[] {
  const a: number[] = new Array(t.length)
  for (let i = 0; i < t.length; i++) a[i] = t[i]
  return a
}

/** The files and view saved by encodeSnapshot, or undefined for anything else (an older format, a cut file). */
export function decodeSnapshot(buf: Buffer): { files: Map<string, SnapFile>; view: LedgerView; heads?: HeadRec[] } | undefined {
  try {
    let o = 4
    const hlen = buf.readUInt32LE(0)
    const h = JSON.parse(buf.toString('utf8', o, (o += hlen)))
    if (h.v !== VERSION) return undefined
    const texts: string[] = (h.texts as number[]).map((n) => buf.toString('latin1', o, (o += n)))
    o += (8 - (o % 8)) % 8
    const n: number = h.stems
    const e: number = h.entries
    const audNames = h.audiences as string[]
    // a copy aligned for the typed arrays: the Buffer's own offset in its pool need not be
    const all = new Uint8Array(buf.subarray(o)).buffer
    if (all.byteLength !== 8 * (3 * n + e) + 4 * (n + 2 * e)) return undefined
    let at = 0
    const f64 = (k: number) => toArray(new Float64Array(all, (at += 8 * k) - 8 * k, k))
    const i32 = (k: number) => toArray(new Int32Array(all, (at += 4 * k) - 4 * k, k))
    const [cursors, hashHi, hashLo, entC, first, entAud, next] = [f64(n), f64(n), f64(n), f64(e), i32(n), i32(e), i32(e)]
    const stems = texts[0] === '' ? [] : texts[0].split('\n')
    if (stems.length !== n) return undefined
    // every chain link and audience in range, so a damaged file cannot send a walk astray
    for (let i = 0; i < n; i++) if (first[i] < -1 || first[i] >= e) return undefined
    for (let i = 0; i < e; i++) if (next[i] < -1 || next[i] >= i || entAud[i] < 0 || entAud[i] >= audNames.length) return undefined
    const slots = new Map<string, number>()
    for (let i = 0; i < n; i++) slots.set(stems[i], i)
    return {
      files: new Map(Object.entries(h.files as Record<string, SnapFile>)),
      view: {
        last: h.last,
        newest: h.newest,
        slots,
        stems,
        hashHi,
        hashLo,
        cursors,
        audNames,
        audIndex: new Map(audNames.map((a, i) => [a, i])),
        first,
        entAud,
        entC,
        next,
      },
      heads: (h.heads as [string, number, Record<string, number>, number, number | null, number, number, number][] | undefined)?.map(
        ([dev, n, seen, k, m, base, at, to]) => ({ dev, n, seen, k, m: m ?? -Infinity, base, at, to }),
      ),
    }
  } catch {
    return undefined
  }
}
