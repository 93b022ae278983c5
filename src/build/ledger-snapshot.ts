// The merged ledger view on disk (.peerfeed/build/ledger-view.bin), so that a new process — every CLI build — starts
// from the last build's view instead of parsing every line and computing every effective cursor again. It holds
// what ledger-cache.ts keeps in memory: per ledger file the bytes read and their sha256 (checked on every read, so a
// changed file is always seen), every build's head, and the view, in columns that load fast:
//   u32 header length, JSON header {v, files, last, newest, versions, stems, audiences: [[name, size]…], heads}
//   (heads: every build's [device, n, seen, k, m, base, at, to], see HeadRec in ledger-derive.ts)
//   latin1: every stem once, joined by \n (those with a version first, in slot order), then the versions' hashes
//   f64: the versions' cursors, then per audience its entries' cursors (negative: a tombstone)
//   i32: per audience, its entries' stems as indices into the stem list
import type { LedgerView } from './ledger.ts'
import type { HeadRec } from './ledger-derive.ts'

export interface SnapFile {
  parsed: number
  digest: string
  lastN: number
}

const VERSION = 2

export function encodeSnapshot(files: Map<string, SnapFile>, view: LedgerView, heads?: HeadRec[]): Buffer {
  const stems: string[] = []
  const index = new Map<string, number>()
  const vCs = new Float64Array(view.versions.size)
  let hashes = ''
  for (const [s, slot] of view.versions) {
    vCs[stems.length] = view.cursors[slot]
    hashes += view.hashes[slot]
    index.set(s, stems.length)
    stems.push(s)
  }
  const auds: [string, number][] = []
  const cursors: Float64Array[] = [vCs]
  const refs: Int32Array[] = []
  for (const [a, m] of view.audiences) {
    const cs = new Float64Array(m.size)
    const ix = new Int32Array(m.size)
    let j = 0
    for (const [s, e] of m) {
      let k = index.get(s)
      if (k === undefined) {
        index.set(s, (k = stems.length))
        stems.push(s)
      }
      ix[j] = k
      cs[j++] = e
    }
    auds.push([a, m.size])
    cursors.push(cs)
    refs.push(ix)
  }
  const textBufs = [Buffer.from(stems.join('\n'), 'latin1'), Buffer.from(hashes, 'latin1')]
  const header = Buffer.from(
    JSON.stringify({
      v: VERSION,
      files: Object.fromEntries(files),
      last: view.last,
      newest: view.newest,
      versions: view.versions.size,
      stems: stems.length,
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

/** The files and view saved by encodeSnapshot, or undefined for anything else (an older format, a cut file). */
export function decodeSnapshot(buf: Buffer): { files: Map<string, SnapFile>; view: LedgerView; heads?: HeadRec[] } | undefined {
  try {
    let o = 4
    const hlen = buf.readUInt32LE(0)
    const h = JSON.parse(buf.toString('utf8', o, (o += hlen)))
    if (h.v !== VERSION) return undefined
    const texts: string[] = (h.texts as number[]).map((n) => buf.toString('latin1', o, (o += n)))
    o += (8 - (o % 8)) % 8
    const nv: number = h.versions
    const auds = h.audiences as [string, number][]
    const entries = auds.reduce((sum, [, n]) => sum + n, 0)
    // copies aligned for the typed arrays: the Buffer's own offset in its pool need not be
    const all = new Uint8Array(buf.subarray(o)).buffer
    if (all.byteLength !== 8 * (nv + entries) + 4 * entries) return undefined
    const cs = new Float64Array(all, 0, nv + entries)
    const ix = new Int32Array(all, 8 * (nv + entries), entries)
    const stems = texts[0] === '' ? [] : texts[0].split('\n')
    const hashes = texts[1]
    if (stems.length !== h.stems || nv > stems.length || hashes.length !== 16 * nv) return undefined
    const versions: LedgerView['versions'] = new Map()
    const hashList: string[] = []
    const cursors: number[] = []
    for (let i = 0; i < nv; i++) {
      versions.set(stems[i], i)
      hashList.push(hashes.slice(16 * i, 16 * i + 16))
      cursors.push(cs[i])
    }
    const audiences: LedgerView['audiences'] = new Map()
    let r = 0
    for (const [a, n] of auds) {
      const m = new Map<string, number>()
      for (let i = 0; i < n; i++, r++) {
        const stem = stems[ix[r]]
        if (stem === undefined) return undefined
        m.set(stem, cs[nv + r])
      }
      audiences.set(a, m)
    }
    return {
      files: new Map(Object.entries(h.files as Record<string, SnapFile>)),
      view: { last: h.last, newest: h.newest, versions, hashes: hashList, cursors, audiences },
      heads: (h.heads as [string, number, Record<string, number>, number, number | null, number, number, number][] | undefined)?.map(
        ([dev, n, seen, k, m, base, at, to]) => ({ dev, n, seen, k, m: m ?? -Infinity, base, at, to }),
      ),
    }
  } catch {
    return undefined
  }
}
