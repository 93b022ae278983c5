// The merged ledger view, kept between builds — in memory by a process that builds again (`build --watch`, `serve
// --watch`, the app), on disk for the next process (ledger-snapshot.ts) — and extended by what was appended
// instead of derived again. Every read still reads every ledger file and hashes it: the
// cache is keyed on content, so a file rewritten with the same size and time is seen; a file that only grew is
// parsed from where the last read stopped. When the new builds read everything that was there before (the usual
// case: a device builds after merging), no earlier cursor can move (ledger-cursors.ts) and they are applied on top;
// anything else — a rewrite, a removed file, builds made concurrently on two devices — derives the view again.
import { createHash, type Hash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import { applyBuild, deriveLedger, type LedgerView } from './ledger.ts'
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
  /** the snapshot on disk holds this */
  saved: boolean
}

export type LedgerRead = 'full' | 'appended' | 'unchanged'

export interface LedgerViewResult {
  view: LedgerView
  bytes: number
  /** how the view was made: derived from every line, extended by the appended lines, or as it was */
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
  let tails: { dev: string; text: string; state: FileState }[] | undefined = old && names.length >= old.files.size ? [] : undefined
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
    if (tails && (grew || !was) && end > (was?.parsed ?? 0))
      tails.push({ dev: names[i].slice(0, -4), text: buf.toString('utf8', was?.parsed ?? 0, end), state })
  }
  if (old && tails && [...old.files.keys()].every((n) => files.has(n))) {
    if (!tails.length) {
      cache.set(key, { ...old, files })
      return { view: old.view, bytes, how: 'unchanged' }
    }
    if (extend(old, tails)) {
      cache.set(key, { files, view: old.view, saved: false })
      return { view: old.view, bytes, how: 'appended' }
    }
  }
  const builds: LogBuild[] = []
  for (let i = 0; i < names.length; i++) {
    const dev = names[i].slice(0, -4)
    const own = parseLedgerFile(dev, texts[i].toString('utf8'))
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
  await writeFileAtomic(snapshot, encodeSnapshot(c.files, c.view))
  c.saved = true
}

const digestOf = (h: Hash) => h.copy().digest('hex')

/**
 * Applies appended builds to the cached view when each one read everything before it; false (and the cache left
 * as it was) when one did not, or a tail does not parse on its own.
 */
function extend(old: Cached, tails: { dev: string; text: string; state: FileState }[]): boolean {
  const fresh: LogBuild[] = []
  for (const t of tails) {
    let parsed: LogBuild[]
    try {
      parsed = parseLedgerFile(t.dev, t.text)
    } catch {
      return false // an entry without its build line, say: the full read says what is wrong
    }
    if (parsed.length && parsed[0].n <= t.state.lastN) return false
    if (parsed.length) t.state.lastN = parsed[parsed.length - 1].n
    for (const b of parsed) fresh.push(b)
  }
  // each new build must have read the newest build of every other device (those already applied included)
  const newest = { ...old.view.newest }
  const order: LogBuild[] = []
  const left = new Set(fresh)
  while (left.size) {
    let next: LogBuild | undefined
    for (const b of left) {
      const ownPrev = [...left].some((o) => o !== b && o.dev === b.dev && o.n < b.n)
      // exactly what was there: a build claiming to have read more (a file edited by hand) takes the full read
      const devs = new Set([...Object.keys(newest), ...Object.keys(b.seen)])
      if (!ownPrev && [...devs].every((d) => d === b.dev || (b.seen[d] ?? 0) === (newest[d] ?? 0))) {
        next = b
        break
      }
    }
    if (!next) {
      return false
    }
    left.delete(next)
    order.push(next)
    newest[next.dev] = next.n
  }
  for (const b of order) applyBuild(old.view, b)
  return true
}
