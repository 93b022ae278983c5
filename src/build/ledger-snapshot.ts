// The merged ledger view on disk (.peerfeed/build/ledger-view.bin), so that a new process — every CLI build — starts
// from the last build's view instead of parsing every line and computing every effective cursor again. It holds
// what ledger-cache.ts keeps in memory: per ledger file the bytes read and their sha256 (checked on every read, so a
// changed file is always seen), and the view, in columns that load fast:
//   u32 header length, JSON header {v, files, last, newest, versions, audiences: [[name, size]…]}
//   latin1: version stems joined by \n, their hashes (16 hex each), then per audience its stems joined by \n
//   f64: version cursors, then per audience its cursors (negative: a tombstone)
import type { LedgerView } from './ledger.ts'

export interface SnapFile {
  parsed: number
  digest: string
  lastN: number
}

const VERSION = 1

export function encodeSnapshot(files: Map<string, SnapFile>, view: LedgerView): Buffer {
  const vStems: string[] = []
  const vCs = new Float64Array(view.versions.size)
  let hashes = ''
  let i = 0
  for (const [s, v] of view.versions) {
    vStems.push(s)
    hashes += v.hash
    vCs[i++] = v.c
  }
  const auds: [string, number][] = []
  const texts = [vStems.join('\n'), hashes]
  const nums: Float64Array[] = [vCs]
  for (const [a, m] of view.audiences) {
    const stems: string[] = []
    const cs = new Float64Array(m.size)
    let j = 0
    for (const [s, e] of m) {
      stems.push(s)
      cs[j++] = e.d ? -e.c : e.c
    }
    auds.push([a, m.size])
    texts.push(stems.join('\n'))
    nums.push(cs)
  }
  const textBufs = texts.map((t) => Buffer.from(t, 'latin1'))
  const header = Buffer.from(
    JSON.stringify({
      v: VERSION,
      files: Object.fromEntries(files),
      last: view.last,
      newest: view.newest,
      versions: view.versions.size,
      audiences: auds,
      texts: textBufs.map((b) => b.length),
    }),
  )
  const len = Buffer.alloc(4)
  len.writeUInt32LE(header.length)
  const head = Buffer.concat([len, header, ...textBufs])
  // the numbers start 8-aligned, so they can be read in place
  const pad = Buffer.alloc((8 - (head.length % 8)) % 8)
  return Buffer.concat([head, pad, ...nums.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))])
}

/** The files and view saved by encodeSnapshot, or undefined for anything else (an older format, a cut file). */
export function decodeSnapshot(buf: Buffer): { files: Map<string, SnapFile>; view: LedgerView } | undefined {
  try {
    let o = 4
    const hlen = buf.readUInt32LE(0)
    const h = JSON.parse(buf.toString('utf8', o, (o += hlen)))
    if (h.v !== VERSION) return undefined
    const texts: string[] = (h.texts as number[]).map((n) => buf.toString('latin1', o, (o += n)))
    o += (8 - (o % 8)) % 8
    // a copy aligned for Float64Array: the Buffer's own offset in its pool need not be
    const nums = new Float64Array(new Uint8Array(buf.subarray(o)).buffer)
    let r = 0
    const split = (t: string) => (t === '' ? [] : t.split('\n'))
    const vStems = split(texts[0])
    const hashes = texts[1]
    if (vStems.length !== h.versions || hashes.length !== 16 * h.versions) return undefined
    const versions: LedgerView['versions'] = new Map()
    for (let i = 0; i < vStems.length; i++) versions.set(vStems[i], { hash: hashes.slice(16 * i, 16 * i + 16), c: nums[r++] })
    const audiences: LedgerView['audiences'] = new Map()
    ;(h.audiences as [string, number][]).forEach(([a, n], k) => {
      const stems = split(texts[2 + k])
      if (stems.length !== n) throw new Error('cut')
      const m = new Map<string, { c: number; d?: 1 }>()
      for (let i = 0; i < n; i++) {
        const c = nums[r++]
        m.set(stems[i], c < 0 ? { c: -c, d: 1 } : { c })
      }
      audiences.set(a, m)
    })
    if (r !== nums.length) return undefined
    return {
      files: new Map(Object.entries(h.files as Record<string, SnapFile>)),
      view: { last: h.last, newest: h.newest, versions, audiences },
    }
  } catch {
    return undefined
  }
}
