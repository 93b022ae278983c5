// Effective cursors: the cursors every device serves, a pure function of the merged ledger, so all devices agree.
// The rule (proved in docs/devices.md): a build's entries come after everything that any device could have served
// without knowing that build. For a build X of the merged ledger L, with ↑X = X and every build that read X:
//   base(X) = 1 + top(L \ ↑X)        top(S) = the highest effective cursor of the builds in S (0 when empty)
//   eff(e₁) = max(c₁, base(X)),  eff(eᵢ) = max(cᵢ, eff(eᵢ₋₁) + 1)   for X's entries in the order of their own cursors
// When builds follow each other (every device merged before building), eff = the cursor written. Builds made
// concurrently on two devices are moved after each other's cursors once merged: a friend may get a post again, never miss one.
import type { LogBuild } from './ledger-log.ts'

export interface Effective {
  /** per build (same order as given), the effective cursor of each entry (entries sorted by written cursor) */
  cursors: number[][]
  /** the highest effective cursor: every new cursor must be above it */
  top: number
}

/** What the rule needs of a build: who made it, what it had read, and its written cursors in their own order. */
export interface BuildHead {
  dev: string
  n: number
  seen: Record<string, number>
  /** number of entries, and max over i of (cᵢ + k−1−i) for the cursors sorted: the last effective cursor is max(base + k − 1, m) */
  k: number
  m: number
}

interface Node {
  h: BuildHead
  d: number
  idx: number
  /** per device: how many of its builds this build had read (its own: idx) */
  saw: Int32Array
}

/** Sorts each build's entries by written cursor (stable) and computes effective cursors. */
export function effectiveCursors(builds: LogBuild[]): Effective {
  const heads = builds.map((b): BuildHead => {
    b.entries.sort((x, y) => x.c - y.c)
    const k = b.entries.length
    let m = -Infinity
    for (let i = 0; i < k; i++) m = Math.max(m, b.entries[i].c + k - 1 - i)
    return { dev: b.dev, n: b.n, seen: b.seen, k, m }
  })
  const { bases, top } = effectiveBases(heads)
  const cursors = builds.map((b, j) => {
    let prev = bases[j]
    const out: number[] = new Array(b.entries.length)
    for (let i = 0; i < out.length; i++) out[i] = prev = Math.max(b.entries[i].c, prev + 1)
    return out
  })
  return { cursors, top }
}

/**
 * Per build (same order as given), base − 1: its entries' effective cursors are eff(e₁) = max(c₁, base) and
 * eff(eᵢ) = max(cᵢ, eff(eᵢ₋₁) + 1) over its entries sorted by written cursor; and the highest effective cursor.
 */
export function effectiveBases(heads: BuildHead[]): { bases: Float64Array; top: number } {
  const devs = [...new Set(heads.map((b) => b.dev))].sort()
  const D = devs.length
  const di = new Map(devs.map((d, i) => [d, i]))
  const byDev: Node[][] = devs.map(() => [])
  const nodes: Node[] = []
  for (const h of heads) {
    const node: Node = { h, d: di.get(h.dev)!, idx: 0, saw: new Int32Array(D) }
    nodes.push(node)
    byDev[node.d].push(node)
  }
  for (const list of byDev) list.sort((x, y) => x.h.n - y.h.n).forEach((n, i) => (n.idx = i))
  const ns = byDev.map((list) => list.map((n) => n.h.n))
  for (const node of nodes) {
    for (let j = 0; j < D; j++) {
      if (j === node.d) node.saw[j] = node.idx
      else {
        const upTo = node.h.seen[devs[j]] ?? 0
        node.saw[j] = countAtMost(ns[j], upTo)
      }
    }
  }
  // a device's builds read more and more of the others; keep it so even if a file was tampered with
  for (const list of byDev)
    for (let i = 1; i < list.length; i++) for (let j = 0; j < D; j++) list[i].saw[j] = Math.max(list[i].saw[j], list[i - 1].saw[j])

  const memo = new Map<string, number>()
  const lastEff = (n: Node, base: number) => (n.h.k === 0 ? base - 1 : Math.max(base + n.h.k - 1, n.h.m))
  /** maximal builds of the down-closed set `t` (counts per device) */
  const maximal = (t: Int32Array): Node[] => {
    const out: Node[] = []
    for (let d = 0; d < D; d++) {
      if (t[d] === 0) continue
      const x = byDev[d][t[d] - 1]
      let isMax = true
      for (let e = 0; e < D && isMax; e++) if (e !== d && t[e] > 0 && byDev[e][t[e] - 1].saw[d] > x.idx) isMax = false
      if (isMax) out.push(x)
    }
    return out
  }
  // top(t) = max over maximal X of lastEff(X, 1 + top(t − X)); iterative so a long history cannot overflow the stack
  const top = (t0: Int32Array): number => {
    const k0 = t0.join(',')
    const hit = memo.get(k0)
    if (hit !== undefined) return hit
    const stack: Int32Array[] = [t0]
    while (stack.length) {
      const t = stack[stack.length - 1]
      const key = t.join(',')
      if (memo.has(key)) {
        stack.pop()
        continue
      }
      let ready = true
      let best = 0
      for (const x of maximal(t)) {
        const sub = t.slice()
        sub[x.d]--
        const v = memo.get(sub.join(','))
        if (v === undefined) {
          ready = false
          stack.push(sub)
        } else if (ready) best = Math.max(best, lastEff(x, 1 + v))
      }
      if (ready) {
        memo.set(key, best)
        stack.pop()
      }
    }
    return memo.get(k0)!
  }

  const all = Int32Array.from(byDev.map((l) => l.length))
  const bases = new Float64Array(nodes.length)
  nodes.forEach((node, j) => {
    // L \ ↑X: per device, the builds that had not read X (a prefix, since each device reads more over time)
    const t = new Int32Array(D)
    for (let d = 0; d < D; d++) {
      if (d === node.d) t[d] = node.idx
      else {
        const list = byDev[d]
        let lo = 0
        let hi = list.length
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          if (list[mid].saw[node.d] <= node.idx) lo = mid + 1
          else hi = mid
        }
        t[d] = lo
      }
    }
    bases[j] = top(t)
  })
  return { bases, top: top(all) }
}

function countAtMost(sorted: number[], v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] <= v) lo = mid + 1
    else hi = mid
  }
  return lo
}
