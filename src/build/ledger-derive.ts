// The merged view straight from the ledger files' text: exactly what parseLedgerFile + deriveLedger give, without an
// object per line — one pass over the text into columns, effective cursors from each build's head
// (ledger-cursors.ts), then the view. The heads are kept (with where each build's lines are), so that builds appended
// later, even ones made concurrently that move earlier builds' cursors, extend the view (ledger-cache.ts) instead of
// deriving it again. Anything unusual — a malformed line, an entry before its build line — returns undefined, and
// the caller takes the slow path, whose errors say what is wrong and where.
import { audOf, emptyView, type LedgerView, setEntry, setVersion, slotOf } from './ledger.ts'
import { type BuildHead, effectiveBases } from './ledger-cursors.ts'
import { DEVICE_ID } from './ledger-log.ts'

const AUD = /^(public|(friend|group):[a-z0-9][a-z0-9_-]{0,62})$/

// character classes of a post file name: 1 first character, 2 later characters too ([A-Za-z0-9] / [A-Za-z0-9._-])
const STEM_CHAR = new Uint8Array(128)
for (let ch = 0; ch < 128; ch++) {
  const s = String.fromCharCode(ch)
  if (/[A-Za-z0-9]/.test(s)) STEM_CHAR[ch] = 3
  else if (/[._-]/.test(s)) STEM_CHAR[ch] = 2
}
const TAB = 9
const NL = 10

/** A build as the cache keeps it: what the cursor rule needs, the base its entries were applied with, its lines. */
export interface HeadRec extends BuildHead {
  /** base − 1 (effectiveBases) its entries were applied with */
  base: number
  /** its lines' byte range in its file; -1 when not known (text that is not ASCII) */
  at: number
  to: number
}

export interface Columns {
  heads: (HeadRec & { start: number; end: number })[]
  /** per entry: 0 V, 1 A, 2 D */
  kind: number[]
  c: number[]
  stem: string[]
  /** the version hash's 16 hex digits as two 32-bit numbers (V only; 0 otherwise) */
  hashHi: number[]
  hashLo: number[]
  auds: string[][]
}

/** A file's text from byte `offset` on; `after`: the build number its first build must exceed. */
export interface Unit {
  dev: string
  text: string
  offset: number
  after: number
  /** the text is ASCII, so a character's index plus offset is its byte */
  ascii: boolean
}

/** Every unit's builds in columns, or undefined when a line is not of the usual shape. */
export function parseColumns(units: Unit[]): { cols: Columns; lastN: number[] } | undefined {
  const cols: Columns = { heads: [], kind: [], c: [], stem: [], hashHi: [], hashLo: [], auds: [] }
  const lastN: number[] = []
  const auds: AudState = { cache: new Map(), prevRaw: '\u0000', prev: [] }
  for (const u of units) {
    const { dev, text } = u
    if (!DEVICE_ID.test(dev)) return undefined
    const end = text.lastIndexOf('\n') + 1
    const first = cols.heads.length
    let pos = 0
    while (pos < end) {
      const k = text.charCodeAt(pos)
      if (k === NL) pos++
      else if (k === 35 /* # */) pos = text.indexOf('\n', pos) + 1
      else if (k === 66 /* B */) pos = buildLine(u, pos, cols, first)
      else if (cols.heads.length === first)
        return undefined // an entry before any build line
      else pos = entryLine(text, pos, k, cols, auds)
      if (pos < 0) return undefined
    }
    const own = cols.heads.length > first ? cols.heads[cols.heads.length - 1] : undefined
    if (own) closeHead(own, cols, u, end)
    lastN.push(own ? own.n : u.after)
  }
  return { cols, lastN }
}

function closeHead(h: Columns['heads'][number], cols: Columns, u: Unit, pos: number) {
  h.end = cols.c.length
  h.to = u.ascii ? u.offset + pos : -1
}

/** A build line at pos: a new head; the position after the line, or -1. */
function buildLine(u: Unit, pos: number, cols: Columns, first: number): number {
  const { text, dev } = u
  const nl = text.indexOf('\n', pos)
  const f = text.slice(pos, nl).split('\t')
  const n = Number(f[1])
  const head = cols.heads.length > first ? cols.heads[cols.heads.length - 1] : undefined
  if (f[0] !== 'B' || f.length !== 3 || !Number.isSafeInteger(n) || n < 1 || n <= (head ? head.n : u.after)) return -1
  const seen: Record<string, number> = {}
  if (f[2] !== '-') {
    for (const part of f[2].split(',')) {
      const [d, m] = part.split(':')
      if (!DEVICE_ID.test(d) || !/^\d+$/.test(m ?? '')) return -1
      seen[d] = Number(m)
    }
  }
  if (head) closeHead(head, cols, u, pos)
  const at = u.ascii ? u.offset + pos : -1
  cols.heads.push({ dev, n, seen, k: 0, m: 0, base: 0, at, to: at, start: cols.c.length, end: cols.c.length })
  return nl + 1
}

interface AudState {
  cache: Map<string, string[]>
  /** the last line's audience text and list: most lines repeat it */
  prevRaw: string
  prev: string[]
}

/** A V, A or D line at pos (k its first character): one entry in the columns; the position after it, or -1. */
function entryLine(text: string, pos: number, k: number, cols: Columns, st: AudState): number {
  const kind = k === 86 /* V */ ? 0 : k === 65 /* A */ ? 1 : k === 68 /* D */ ? 2 : -1
  if (kind < 0 || text.charCodeAt(pos + 1) !== TAB) return -1
  // the cursor: 1 to 16 digits, not starting with 0
  let p = pos + 2
  let c = 0
  const c0 = p
  for (let ch = text.charCodeAt(p); ch >= 48 && ch <= 57; ch = text.charCodeAt(++p)) c = c * 10 + (ch - 48)
  if (p === c0 || p - c0 > 16 || text.charCodeAt(c0) === 48 || text.charCodeAt(p) !== TAB) return -1
  if (p - c0 > 15) c = Number(text.slice(c0, p))
  // the post file name
  const s0 = ++p
  for (let ch = text.charCodeAt(p); ch < 128 && STEM_CHAR[ch] > 0; ch = text.charCodeAt(++p));
  if (p === s0 || STEM_CHAR[text.charCodeAt(s0)] !== 3 || text.charCodeAt(p) !== TAB) return -1
  const stem = text.slice(s0, p)
  // the version hash: 16 lowercase hex digits, read as two 32-bit numbers
  let hi = 0
  let lo = 0
  if (kind === 0) {
    const h0 = ++p
    for (let ch = text.charCodeAt(p); (ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102); ch = text.charCodeAt(++p)) {
      const d = ch <= 57 ? ch - 48 : ch - 87
      if (p - h0 < 8) hi = hi * 16 + d
      else lo = lo * 16 + d
    }
    if (p - h0 !== 16 || text.charCodeAt(p) !== TAB) return -1
  }
  // the audiences: the rest of the line, no tab
  const a0 = p + 1
  const nl = text.indexOf('\n', a0)
  let auds = st.prev
  if (nl - a0 !== st.prevRaw.length || !text.startsWith(st.prevRaw, a0)) {
    const raw = text.slice(a0, nl)
    const known = st.cache.get(raw) ?? newAudiences(raw, st.cache)
    if (!known) return -1
    st.prevRaw = raw
    st.prev = auds = known
  }
  cols.kind.push(kind)
  cols.c.push(c)
  cols.stem.push(stem)
  cols.hashHi.push(hi)
  cols.hashLo.push(lo)
  cols.auds.push(auds)
  return nl + 1
}

function newAudiences(raw: string, cache: Map<string, string[]>): string[] | undefined {
  if (raw.includes('\t')) return undefined
  const list = raw === '' ? [] : raw.split(',')
  for (const a of list) if (!AUD.test(a)) return undefined
  cache.set(raw, list)
  return list
}

/** Puts each build's entries in the order of their written cursors (stable) and notes k and m for the rule. */
export function sortBuilds(cols: Columns): void {
  for (const h of cols.heads) {
    let sorted = true
    for (let i = h.start + 1; i < h.end && sorted; i++) if (cols.c[i] < cols.c[i - 1]) sorted = false
    if (!sorted) {
      const order = Array.from({ length: h.end - h.start }, (_, i) => h.start + i).sort((x, y) => cols.c[x] - cols.c[y] || x - y)
      for (const col of [cols.kind, cols.c, cols.stem, cols.hashHi, cols.hashLo, cols.auds] as unknown[][]) {
        const copy = order.map((i) => col[i])
        for (let i = 0; i < copy.length; i++) col[h.start + i] = copy[i]
      }
    }
    h.k = h.end - h.start
    let m = -Infinity
    for (let i = h.start; i < h.end; i++) m = Math.max(m, cols.c[i] + h.end - 1 - i)
    h.m = m
  }
}

/**
 * Applies the columns' builds to a view, the j-th with base − 1 = baseOf(j) (and notes it in its head); returns the
 * highest effective cursor applied.
 */
export function applyColumns(view: LedgerView, cols: Columns, baseOf: (j: number) => number): number {
  const { newest } = view
  let top = 0
  // the indices of each distinct audience list's audiences, made the first time the list is met
  const indicesOf = new Map<string[], number[]>()
  cols.heads.forEach((h, j) => {
    newest[h.dev] = Math.max(newest[h.dev] ?? 0, h.n)
    let prev = (h.base = baseOf(j))
    for (let i = h.start; i < h.end; i++) {
      const c = (prev = Math.max(cols.c[i], prev + 1))
      const slot = slotOf(view, cols.stem[i])
      const kind = cols.kind[i]
      if (kind === 0) setVersion(view, slot, cols.hashHi[i], cols.hashLo[i], c)
      const list = cols.auds[i]
      let auds = indicesOf.get(list)
      if (!auds) indicesOf.set(list, (auds = list.map((a) => audOf(view, a))))
      for (let k = 0; k < auds.length; k++) setEntry(view, slot, auds[k], c, kind === 2)
    }
    top = Math.max(top, prev)
  })
  return top
}

/** A head without its place in one parse's columns, as the cache keeps it. */
export const headRec = ({ dev, n, seen, k, m, base, at, to }: HeadRec): HeadRec => ({ dev, n, seen, k, m, base, at, to })

/**
 * The view deriveLedger gives for these units' builds (each a whole file, in name order), every build's head, and
 * each file's newest build number; undefined when a file needs the slow path.
 */
export function deriveFromText(units: Unit[]): { view: LedgerView; heads: HeadRec[]; lastN: number[] } | undefined {
  const parsed = parseColumns(units)
  if (!parsed) return undefined
  const { cols } = parsed
  sortBuilds(cols)
  const { bases, top } = effectiveBases(cols.heads)
  const view = emptyView(top)
  applyColumns(view, cols, (j) => bases[j])
  return { view, heads: cols.heads.map(headRec), lastN: parsed.lastN }
}
