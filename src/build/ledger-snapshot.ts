// The merged ledger view on disk (.peerfeed/build/ledger-view.bin), so that a new process — every CLI build — starts
// from the last build's view instead of parsing every line and computing every effective cursor again. It holds
// what ledger-cache.ts keeps in memory: per ledger file the bytes read and their sha256 (checked on every read, so a
// changed file is always seen), every build's head, and the view, in columns that load fast:
//   u32 header length, JSON header {v, files, last, newest, stems, audiences: [[name, size]…], heads}
//   (heads: every build's [device, n, seen, k, m, base, at, to], see HeadRec in ledger-derive.ts)
//   latin1: the stems by slot, joined by \n, then their versions' hashes (16 '-' for a slot with no version yet)
//   f64: the versions' cursors by slot, then per audience its entries' cursors (negative: a tombstone)
//   i32: per audience, its entries' slots
import type { LedgerView } from './ledger.ts'
import type { HeadRec } from './ledger-derive.ts'

export interface SnapFile {
  parsed: number
  digest: string
  lastN: number
}

const VERSION = 2

export function encodeSnapshot(files: Map<string, SnapFile>, view: LedgerView, heads?: HeadRec[]): Buffer {
  const cursors: Float64Array[] = [Float64Array.from(view.cursors)]
  const refs: Int32Array[] = []
  const auds: [string, number][] = []
  for (const [a, m] of view.audiences) {
    const cs = new Float64Array(m.size)
    const ix = new Int32Array(m.size)
    let j = 0
    for (const [slot, e] of m) {
      ix[j] = slot
      cs[j++] = e
    }
    auds.push([a, m.size])
    cursors.push(cs)
    refs.push(ix)
  }
  const hashes = view.hashes.map((h) => h || NO_VERSION).join('')
  const textBufs = [Buffer.from(view.stems.join('\n'), 'latin1'), Buffer.from(hashes, 'latin1')]
  const header = Buffer.from(
    JSON.stringify({
      v: VERSION,
      files: Object.fromEntries(files),
      last: view.last,
      newest: view.newest,
      stems: view.stems.length,
      audiences: auds,
      texts: textBufs.map((b) => b.length),
      heads: heads?.map((h) => [h.dev, h.n, h.seen, h.k, h.k ? h.m : null, h.base, h.at, h.to]),
    }),
  )
  const len = Buffer.alloc(4)
  len.writeUInt32LE(header.length)
  const head = Buffer.concat([len, header, ...textBufs])
  // the numbers start 8-aligned, so they can be read in place
  const pad = Buffer.alloc((8 - (head.length % 8)) % 8)
  const bytes = (a: Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  return Buffer.concat([head, pad, ...cursors.map(bytes), ...refs.map(bytes)])
}

/** A slot whose stem has no version yet (only audience lines), in the hashes' text. */
const NO_VERSION = '-'.repeat(16)

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
    const auds = h.audiences as [string, number][]
    const entries = auds.reduce((sum, [, k]) => sum + k, 0)
    // copies aligned for the typed arrays: the Buffer's own offset in its pool need not be
    const all = new Uint8Array(buf.subarray(o)).buffer
    if (all.byteLength !== 8 * (n + entries) + 4 * entries) return undefined
    const cs = new Float64Array(all, 0, n + entries)
    const ix = new Int32Array(all, 8 * (n + entries), entries)
    const stems = texts[0] === '' ? [] : texts[0].split('\n')
    const hashText = texts[1]
    if (stems.length !== n || hashText.length !== 16 * n) return undefined
    const slots = new Map<string, number>()
    const hashes: string[] = []
    const cursors: number[] = []
    for (let i = 0; i < n; i++) {
      slots.set(stems[i], i)
      const hash = hashText.slice(16 * i, 16 * i + 16)
      hashes.push(hash === NO_VERSION ? '' : hash)
      cursors.push(cs[i])
    }
    const audiences: LedgerView['audiences'] = new Map()
    let r = 0
    for (const [a, k] of auds) {
      const m = new Map<number, number>()
      for (let i = 0; i < k; i++, r++) {
        if (!(ix[r] >= 0 && ix[r] < n)) return undefined
        m.set(ix[r], cs[n + r])
      }
      audiences.set(a, m)
    }
    return {
      files: new Map(Object.entries(h.files as Record<string, SnapFile>)),
      view: { last: h.last, newest: h.newest, slots, stems, hashes, cursors, audiences },
      heads: (h.heads as [string, number, Record<string, number>, number, number | null, number, number, number][] | undefined)?.map(
        ([dev, n, seen, k, m, base, at, to]) => ({ dev, n, seen, k, m: m ?? -Infinity, base, at, to }),
      ),
    }
  } catch {
    return undefined
  }
}
