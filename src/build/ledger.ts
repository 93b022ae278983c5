// The cursor ledger as the build sees it: for every post its current version and cursor, for every audience its
// entries and tombstones — derived from the merged log of every device (ledger-log.ts) through the effective
// cursors (ledger-cursors.ts). Pure: `deriveLedger` reads the log, `advanceLedger` returns the lines of a new build.
import { postId } from '../posts/ids.ts'
import type { Post } from '../posts/types.ts'
import { effectiveCursors } from './ledger-cursors.ts'
import type { LogBuild, LogEntry } from './ledger-log.ts'

export interface AudienceEntry {
  /** cursor of the entry: when the post (this version) entered the audience, or when its tombstone was made */
  c: number
  /** a tombstone: the post was deleted or no longer addressed to this audience */
  d?: 1
}

/**
 * What every device agrees on, about every post file stem the ledger names. Each stem has a slot, and the rest is
 * numbers by slot rather than an object per post or a map keyed by text per audience: a cold read makes one entry per
 * line of a 100,000-line ledger, and objects and text keys there cost more than everything else.
 */
export interface LedgerView {
  /** the highest cursor any device has handed out (effective) */
  last: number
  /** stem → its slot */
  slots: Map<string, number>
  /**
   * per slot: the stem, its current version's hash — the first 16 hex digits as two 32-bit numbers, hashHi -1
   * before any version — and cursor
   */
  stems: string[]
  hashHi: number[]
  hashLo: number[]
  cursors: number[]
  /** audiences by index, and each one's index */
  audNames: string[]
  audIndex: Map<string, number>
  /**
   * the audience entries, per slot a chain: first[slot] → next[e] → … → -1, each entry its audience's index and
   * its cursor, negated for a tombstone (see AudienceEntry). A post is in few audiences, so a chain is short.
   */
  first: number[]
  entAud: number[]
  entC: number[]
  next: number[]
  /** device → its newest build number */
  newest: Record<string, number>
}

export const emptyView = (last = 0): LedgerView => ({
  last,
  slots: new Map(),
  stems: [],
  hashHi: [],
  hashLo: [],
  cursors: [],
  audNames: [],
  audIndex: new Map(),
  first: [],
  entAud: [],
  entC: [],
  next: [],
  newest: {},
})

/** The stem's slot, made when it has none. */
export function slotOf(view: LedgerView, stem: string): number {
  let i = view.slots.get(stem)
  if (i === undefined) {
    view.slots.set(stem, (i = view.stems.length))
    view.stems.push(stem)
    view.hashHi.push(-1)
    view.hashLo.push(0)
    view.cursors.push(0)
    view.first.push(-1)
  }
  return i
}

/** The audience's index, made when it has none. */
export function audOf(view: LedgerView, name: string): number {
  let i = view.audIndex.get(name)
  if (i === undefined) {
    view.audIndex.set(name, (i = view.audNames.length))
    view.audNames.push(name)
  }
  return i
}

/** The post's entry in the audience (a number as in the view), if any. */
export function entryAt(view: LedgerView, aud: string, slot: number): number | undefined {
  const a = view.audIndex.get(aud)
  if (a === undefined) return undefined
  for (let e = view.first[slot]; e >= 0; e = view.next[e]) if (view.entAud[e] === a) return view.entC[e]
  return undefined
}

/** Every audience's entries, in slot order: audience → slots and their entries (numbers as in the view). */
export function byAudience(view: LedgerView): Map<string, { slots: number[]; cs: number[] }> {
  const lists = view.audNames.map(() => ({ slots: [] as number[], cs: [] as number[] }))
  for (let slot = 0; slot < view.first.length; slot++) {
    for (let e = view.first[slot]; e >= 0; e = view.next[e]) {
      const l = lists[view.entAud[e]]
      l.slots.push(slot)
      l.cs.push(view.entC[e])
    }
  }
  return new Map(view.audNames.map((a, i) => [a, lists[i]]))
}

/** A post's current version in the view. */
export function versionOf(view: LedgerView, stem: string): { hash: string; c: number } | undefined {
  const i = view.slots.get(stem)
  return i === undefined || view.hashHi[i] < 0 ? undefined : { hash: hex16(view.hashHi[i], view.hashLo[i]), c: view.cursors[i] }
}

/** The 16 hex digits of a version hash as two 32-bit numbers, and back. */
export const hexHi = (hash16: string) => Number.parseInt(hash16.slice(0, 8), 16)
export const hexLo = (hash16: string) => Number.parseInt(hash16.slice(8, 16), 16)
export const hex16 = (hi: number, lo: number) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')

/** How many posts have a version. */
export const versionCount = (view: LedgerView) => view.hashHi.reduce((n, h) => (h < 0 ? n : n + 1), 0)

/** An audience entry as a number of the view: its cursor, negated for a tombstone. */
export const entryOf = (n: number): AudienceEntry => (n < 0 ? { c: -n, d: 1 } : { c: n })

/**
 * The rule for a post's version and its audience entries, shared by every way of making a view: the latest cursor
 * wins; ties (two devices, the same effective cursor) go to the larger hash, and a tombstone beats an entry.
 */
export function setVersion(view: LedgerView, slot: number, hi: number, lo: number, c: number): void {
  const oldHi = view.hashHi[slot]
  const was = view.cursors[slot]
  if (oldHi < 0 || c > was || (c === was && (hi > oldHi || (hi === oldHi && lo > view.hashLo[slot])))) {
    view.hashHi[slot] = hi
    view.hashLo[slot] = lo
    view.cursors[slot] = c
  }
}

export function setEntry(view: LedgerView, slot: number, aud: number, c: number, tombstone: boolean): void {
  for (let e = view.first[slot]; e >= 0; e = view.next[e]) {
    if (view.entAud[e] !== aud) continue
    const old = view.entC[e]
    if (c > Math.abs(old) || (c === Math.abs(old) && tombstone && old > 0)) view.entC[e] = tombstone ? -c : c
    return
  }
  view.entAud.push(aud)
  view.entC.push(tombstone ? -c : c)
  view.next.push(view.first[slot])
  view.first[slot] = view.entAud.length - 1
}

/** What a build uses: live audiences' entries in cursor order, page starts and group name keys (per device). */
export interface Ledger {
  last: number
  audiences: Record<string, LedgerEntry[]>
  /** audience key → start cursors of its pages (local to this device: page names may differ between devices) */
  pages: Record<string, number[]>
  /** group name → its page-name key and the member set it was made for (local: a secret, never in git) */
  groupKeys: Record<string, { members: string; key: string }>
}

export const hash16 = (hash: string) => hash.slice(0, 16)

/** Replays every device's builds with their effective cursors; the latest entry of each post/audience wins. */
export function deriveLedger(builds: LogBuild[]): LedgerView {
  const eff = effectiveCursors(builds)
  const view = emptyView(eff.top)
  for (let i = 0; i < builds.length; i++) applyEntries(view, builds[i], eff.cursors[i])
  return view
}

/**
 * Adds one more build to a view, for a build that had read every build in it (its `seen` is the view's newest of
 * every other device): then no cursor already in the view moves, and the build's own start right after the view's
 * top (ledger-cursors.ts) — the same view deriveLedger gives for all the builds. ledger-cache.ts checks the condition.
 */
export function applyBuild(view: LedgerView, b: LogBuild): void {
  b.entries.sort((x, y) => x.c - y.c)
  let prev = view.last
  const cs = new Array<number>(b.entries.length)
  for (let i = 0; i < cs.length; i++) cs[i] = prev = Math.max(b.entries[i].c, prev + 1)
  applyEntries(view, b, cs)
  view.last = prev
}

function applyEntries(view: LedgerView, b: LogBuild, cs: number[]): void {
  const { newest } = view
  newest[b.dev] = Math.max(newest[b.dev] ?? 0, b.n)
  for (let j = 0; j < b.entries.length; j++) {
    const e = b.entries[j]
    const c = cs[j]
    const slot = slotOf(view, e.stem)
    if (e.k === 'V') setVersion(view, slot, hexHi(e.hash!), hexLo(e.hash!), c)
    for (const a of e.auds) setEntry(view, slot, audOf(view, a), c, e.k === 'D')
  }
}

export interface Advance {
  /** this build's new lines (empty when nothing changed) */
  entries: LogEntry[]
  /** live audiences' entries after this build, sorted by cursor (ties by id) */
  audiences: Ledger['audiences']
  last: number
  changed: { versions: number; tombstones: number }
}

/**
 * Gives each new post version, each post entering an audience and each tombstone a cursor: strictly increasing,
 * above every cursor in the merged ledger and never before `now`. `audiencesOf` maps a post to its live audience
 * keys; audiences outside `live` are left out of the result (their lines stay for when they come back).
 */
export function advanceLedger(
  view: LedgerView,
  posts: readonly Post[],
  audiencesOf: (p: Post) => string[],
  live: ReadonlySet<string>,
  owner: string,
  now = Date.now(),
): Advance {
  let last = view.last
  const next = () => (last = Math.max(now, last + 1))
  const entries: LogEntry[] = []
  const entryId = new Map<LogEntry, string>()
  let versions = 0
  let tombstones = 0
  // by slot: the post's id and its audiences now (undefined: no post has that stem any more)
  const idAt: (string | undefined)[] = new Array(view.stems.length)
  const audsAt: (string[] | undefined)[] = new Array(view.stems.length)
  // posts arrive in published order, so a first build hands out cursors in the order people wrote them
  for (const p of posts) {
    const auds = audiencesOf(p)
    const slot = view.slots.get(p.stem)
    const h = hash16(p.hash)
    if (slot === undefined || view.hashHi[slot] !== hexHi(h) || view.hashLo[slot] !== hexLo(h)) {
      if (slot !== undefined) [idAt[slot], audsAt[slot]] = [p.id, auds]
      const e: LogEntry = { k: 'V', c: next(), stem: p.stem, hash: h, auds }
      entries.push(e)
      entryId.set(e, p.id)
      versions++
      continue
    }
    idAt[slot] = p.id
    audsAt[slot] = auds
    const entering = auds.filter((a) => {
      const e = entryAt(view, a, slot)
      return e === undefined || e < 0
    })
    if (!entering.length) continue
    const e: LogEntry = { k: 'A', c: next(), stem: p.stem, auds: entering }
    entries.push(e)
    entryId.set(e, p.id)
  }
  // tombstones: a post that was in a live audience and is not any more (deleted, or its `to` changed)
  const leaving = new Map<number, string[]>()
  const lists = byAudience(view)
  for (const a of [...live].sort()) {
    const { slots, cs } = lists.get(a) ?? { slots: [], cs: [] }
    for (let i = 0; i < slots.length; i++) {
      if (cs[i] < 0 || audsAt[slots[i]]?.includes(a)) continue
      const l = leaving.get(slots[i])
      if (l) l.push(a)
      else leaving.set(slots[i], [a])
    }
  }
  for (const [slot, auds] of [...leaving].sort((x, y) => (view.stems[x[0]] < view.stems[y[0]] ? -1 : 1))) {
    entries.push({ k: 'D', c: next(), stem: view.stems[slot], auds })
    tombstones += auds.length
  }
  // the live audiences as a build writes them, with this build's lines applied
  const id = (slot: number) => idAt[slot] ?? postId(owner, view.stems[slot])
  const mine = new Map<string, LogEntry[]>()
  for (const e of entries) {
    for (const a of e.auds) {
      if (!live.has(a)) continue
      const l = mine.get(a)
      if (l) l.push(e)
      else mine.set(a, [e])
    }
  }
  const audiences: Ledger['audiences'] = {}
  for (const a of live) {
    const { slots, cs } = lists.get(a) ?? { slots: [], cs: [] }
    const own = mine.get(a) ?? []
    const replaced = new Set(own.map((e) => e.stem))
    const out: LedgerEntry[] = []
    for (let i = 0; i < slots.length; i++) {
      if (replaced.size && replaced.has(view.stems[slots[i]])) continue
      const c = cs[i]
      out.push(c < 0 ? { id: id(slots[i]), c: -c, d: 1 } : { id: id(slots[i]), c })
    }
    for (const e of own) {
      const eid = entryId.get(e) ?? postId(owner, e.stem)
      out.push(e.k === 'D' ? { id: eid, c: e.c, d: 1 } : { id: eid, c: e.c })
    }
    audiences[a] = out.sort(byCursor)
  }
  return { entries, audiences, last, changed: { versions, tombstones } }
}

/** An audience entry with its post's id, as pages list them. */
export interface LedgerEntry extends AudienceEntry {
  id: string
}

/** Cursor order, ties by id: the order of every audience's entries. */
export const byCursor = (a: LedgerEntry, b: LedgerEntry) => a.c - b.c || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
