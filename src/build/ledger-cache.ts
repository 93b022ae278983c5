// The merged ledger view, kept between builds — in memory by a process that builds again (`build --watch`, `serve
// --watch`, the app), on disk for the next process (ledger-snapshot.ts) — and extended by what was appended
// instead of derived again. Every read still reads every ledger file and hashes it: the cache is keyed on content,
// so a file rewritten with the same size and time is seen; a file that only grew is parsed from where the last read
// stopped. When the new builds read everything that was there before (the usual case: a device builds after
// merging), no earlier cursor can move (ledger-cursors.ts) and they are applied on top. When they did not (builds
// two devices made offline, merged), the effective cursors are computed again from every build's head; the earlier
// builds whose cursors moved are read again from their lines and applied with their new cursors. Cursors only ever
// move up when builds are added, and the latest entry wins, so what they held before is overridden: the view is the
// one derived from every line. Anything else — a rewrite, a removed file — derives the view again.
import { createHash, type Hash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import { deriveLedger, type LedgerView } from './ledger.ts'
import { effectiveBases } from './ledger-cursors.ts'
import { applyColumns, type Columns, deriveFromText, type HeadRec, headRec, parseColumns, sortBuilds, type Unit } from './ledger-derive.ts'
import { DEVICE_ID, LEDGER_DIR, type LogBuild, parseLedgerFile } from './ledger-log.ts'
import { decodeSnapshot, encodeSnapshot } from './ledger-snapshot.ts'

interface FileState {
  /** bytes parsed: up to the last newline (a line cut short by a crash is read again once complete) */
  parsed: number
  /** sha256 of those bytes */
  digest: string
  /** this device's newest build in the file */
  lastN: number
}

interface Cached {
  files: Map<string, FileState>
  view: LedgerView
  /** every build's head, when the view was made from columns (else a change derives the view again) */
  heads?: HeadRec[]
  /** the snapshot on disk holds this */
  saved: boolean
}

export type LedgerRead = 'full' | 'merged' | 'appended' | 'unchanged'

export interface LedgerViewResult {
  view: LedgerView
  bytes: number
  /**
   * how the view was made: derived from every line; extended by appended builds that moved earlier ones (builds
   * made concurrently); extended by appended builds on top; or as it was
   */
  how: LedgerRead
}

const cache = new Map<string, Cached>()

/** Forgets what was cached (tests and benchmarks measure the cold path with it). */
export const clearLedgerCache = () => cache.clear()

/**
 * The view every device's builds under root/ledger/ give (deriveLedger), reusing the last read of the same folder
 * in this process, else the `snapshot` file, when the files only grew. The view returned may be extended in place
 * by a later call.
 */
export async function ledgerView(root: string, { snapshot }: { snapshot?: string } = {}): Promise<LedgerViewResult> {
  const dir = path.join(root, LEDGER_DIR)
  const names = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.txt') && DEVICE_ID.test(f.slice(0, -4)))
    .sort()
  const texts = await Promise.all(names.map((n) => fs.readFile(path.join(dir, n))))
  const bytes = texts.reduce((s, t) => s + t.length, 0)
  const key = path.resolve(dir)
  let old = cache.get(key)
  if (!old && snapshot) {
    const snap = decodeSnapshot(await fs.readFile(snapshot).catch(() => Buffer.alloc(0)))
    if (snap) old = { ...snap, saved: true }
  }
  const files = new Map<string, FileState>()
  // per file: the appended part when the cached part is unchanged, else undefined (the whole view is derived again)
  let tails: Unit[] | undefined = old?.heads && names.length >= old.files.size ? [] : undefined
  for (let i = 0; i < names.length; i++) {
    const buf = texts[i]
    const end = buf.lastIndexOf(0x0a) + 1
    const was = old?.files.get(names[i])
    let h = createHash('sha256')
    let grew = false
    if (tails && was && was.parsed <= end) {
      h.update(buf.subarray(0, was.parsed))
      if (digestOf(h) === was.digest) grew = true
    }
    if (tails && !grew && was) tails = undefined
    if (grew) h.update(buf.subarray(was!.parsed, end))
    else h = createHash('sha256').update(buf.subarray(0, end))
    const state: FileState = { parsed: end, digest: h.digest('hex'), lastN: was?.lastN ?? 0 }
    files.set(names[i], state)
    const from = was?.parsed ?? 0
    if (tails && (grew || !was) && end > from) {
      const text = buf.toString('utf8', from, end)
      tails.push({ dev: names[i].slice(0, -4), text, offset: from, after: state.lastN, ascii: text.length === end - from })
    }
  }
  if (old?.heads && tails && [...old.files.keys()].every((n) => files.has(n))) {
    if (!tails.length) {
      cache.set(key, { ...old, files })
      return { view: old.view, bytes, how: 'unchanged' }
    }
    const how = extend(old as Cached & { heads: HeadRec[] }, tails, (dev) => texts[names.indexOf(`${dev}.txt`)])
    if (how) {
      tails.forEach((t, i) => (files.get(`${t.dev}.txt`)!.lastN = how.lastN[i]))
      cache.set(key, { files, view: old.view, heads: old.heads, saved: false })
      return { view: old.view, bytes, how: how.how }
    }
  }
  const units = names.map((n, i): Unit => {
    const text = texts[i].toString('utf8')
    return { dev: n.slice(0, -4), text, offset: 0, after: 0, ascii: text.length === texts[i].length }
  })
  const fast = deriveFromText(units)
  if (fast) {
    names.forEach((n, i) => (files.get(n)!.lastN = fast.lastN[i]))
    cache.set(key, { files, view: fast.view, heads: fast.heads, saved: false })
    return { view: fast.view, bytes, how: 'full' }
  }
  // something unusual in a file: the line-by-line parse says what and where
  const builds: LogBuild[] = []
  for (let i = 0; i < names.length; i++) {
    const own = parseLedgerFile(units[i].dev, units[i].text)
    for (const b of own) builds.push(b)
    files.get(names[i])!.lastN = own.length ? own[own.length - 1].n : 0
  }
  const view = deriveLedger(builds)
  cache.set(key, { files, view, saved: false })
  return { view, bytes, how: 'full' }
}

/** Writes the view last read from root/ledger/ to `snapshot` for the next process, unless it holds it already. */
export async function saveLedgerView(root: string, snapshot: string): Promise<void> {
  const c = cache.get(path.resolve(root, LEDGER_DIR))
  if (!c || c.saved) return
  await writeFileAtomic(snapshot, encodeSnapshot(c.files, c.view, c.heads))
  c.saved = true
}

const digestOf = (h: Hash) => h.copy().digest('hex')

/**
 * Applies appended builds (the tails) to the cached view, moving earlier builds where the new ones make their cursors
 * move; undefined (and the cache left as it was) when a tail does not parse on its own or an earlier build's lines
 * cannot be read again. `file` gives a device's ledger file as read now.
 */
function extend(
  old: Cached & { heads: HeadRec[] },
  tails: Unit[],
  file: (dev: string) => Buffer,
): { how: LedgerRead; lastN: number[] } | undefined {
  const parsed = parseColumns(tails)
  if (!parsed) return undefined // an entry without its build line, say: the full read says what is wrong
  const { cols } = parsed
  sortBuilds(cols)
  const { view, heads } = old
  // the usual case: each new build read exactly what was there (the newest build of every other device, those
  // just applied included), so its entries come right after the view's top and nothing earlier moves
  const newest = { ...view.newest }
  const inOrder = cols.heads.every((b) => {
    const devs = new Set([...Object.keys(newest), ...Object.keys(b.seen)])
    const ok = [...devs].every((d) => d === b.dev || (b.seen[d] ?? 0) === (newest[d] ?? 0))
    newest[b.dev] = b.n
    return ok
  })
  if (inOrder) {
    for (let j = 0; j < cols.heads.length; j++) {
      const one: Columns = { ...cols, heads: [cols.heads[j]] }
      view.last = Math.max(
        view.last,
        applyColumns(view, one, () => view.last),
      )
    }
    for (const h of cols.heads) heads.push(headRec(h))
    return { how: 'appended', lastN: parsed.lastN }
  }
  // builds made concurrently: the rule over every head, and the moved builds read again before anything changes
  const all = [...heads, ...cols.heads]
  const { bases, top } = effectiveBases(all)
  const moved: { cols: Columns; base: number }[] = []
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]
    if (bases[i] === h.base) continue
    if (bases[i] < h.base || h.at < 0) return undefined // cursors only move up; a full read if a file says otherwise
    const again = parseColumns([
      { dev: h.dev, text: file(h.dev).toString('latin1', h.at, h.to), offset: h.at, after: h.n - 1, ascii: true },
    ])
    if (again?.cols.heads.length !== 1 || again.cols.heads[0].n !== h.n) return undefined
    sortBuilds(again.cols)
    moved.push({ cols: again.cols, base: bases[i] })
  }
  for (const m of moved) applyColumns(view, m.cols, () => m.base)
  applyColumns(view, cols, (j) => bases[heads.length + j])
  for (let i = 0; i < heads.length; i++) heads[i].base = bases[i]
  for (const h of cols.heads) heads.push(headRec(h))
  view.last = top
  return { how: moved.length ? 'merged' : 'appended', lastN: parsed.lastN }
}
