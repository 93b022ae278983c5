// Effective cursors over several devices' ledgers: the rule of docs/devices.md, checked on fixed and random histories.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { effectiveCursors } from '../../src/build/ledger-cursors.ts'
import { formatBuild, parseLedgerFile, type LogBuild } from '../../src/build/ledger-log.ts'
import { advanceLedger, deriveLedger } from '../../src/build/ledger.ts'
import type { Post } from '../../src/posts/types.ts'

const test = suite('ledger cursors')
const A = 'aaaaaaaaaaaa'
const B = 'bbbbbbbbbbbb'
const C = 'cccccccccccc'

const build = (dev: string, n: number, seen: Record<string, number>, cs: number[]): LogBuild => ({
  dev,
  n,
  seen,
  entries: cs.map((c, i) => ({ k: 'V' as const, c, stem: `${dev}-${n}-${i}`, hash: '0'.repeat(16), auds: ['public'] })),
})

test('builds that followed each other keep the cursors they wrote', () => {
  const e = effectiveCursors([build(A, 1, {}, [10, 11]), build(B, 1, { [A]: 1 }, [12]), build(A, 2, { [B]: 1 }, [20])])
  assert.equal(e.cursors, [[10, 11], [12], [20]])
  assert.is(e.top, 20)
})

test('concurrent builds: each moves after what the other could have served', () => {
  // A served 100; B, offline with a slow clock, wrote 90 and 95
  const e = effectiveCursors([build(A, 1, {}, [50]), build(A, 2, {}, [100]), build(B, 1, { [A]: 1 }, [90, 95])])
  assert.equal(e.cursors, [[50], [100], [101, 102]])
  // and the other way round: B's clock ahead, A behind
  const f = effectiveCursors([build(A, 1, {}, [50]), build(A, 2, {}, [60]), build(B, 1, { [A]: 1 }, [90, 95])])
  assert.equal(f.cursors, [[50], [96], [90, 95]])
})

test('the file format round-trips and names the line of a bad entry', () => {
  const b = build(A, 3, { [B]: 2, [C]: 1 }, [5, 7])
  assert.equal(parseLedgerFile(A, `# header\n${formatBuild(b)}`), [b])
  assert.equal(parseLedgerFile(A, `${formatBuild(b)}V\t9\tcut-sh`), [b], 'a torn last line is ignored')
  const ad: LogBuild = {
    dev: A,
    n: 4,
    seen: {},
    entries: [
      { k: 'A', c: 8, stem: 's1', auds: ['friend:bob', 'group:fam'] },
      { k: 'D', c: 9, stem: 's2', auds: ['public'] },
    ],
  }
  const back = parseLedgerFile(A, formatBuild(ad))[0].entries.map((e) => [e.k, e.c, e.stem, e.auds])
  assert.equal(back, [
    ['A', 8, 's1', ['friend:bob', 'group:fam']],
    ['D', 9, 's2', ['public']],
  ])
  try {
    parseLedgerFile(A, `${formatBuild(b)}V\tnope\tx\t${'0'.repeat(16)}\tpublic\n`)
    assert.unreachable()
  } catch (e) {
    assert.is((e as { place: { line: number } }).place.line, 4)
    assert.match(String(e), 'is not a cursor')
  }
})

/**
 * Random histories of three devices that build with random clocks and merge at random. Every device state that
 * ever existed is a set S of builds; for the final merged ledger L it must hold that everything in L but not in S
 * is served after anything S served, and nothing S served moved back.
 */
test('no cursor ever served is passed over: random histories of three devices', () => {
  let seed = 7
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n
  for (let round = 0; round < 60; round++) {
    const devs = [A, B, C]
    const know: Set<LogBuild>[] = devs.map(() => new Set())
    const snapshots: Set<LogBuild>[] = []
    const count: Record<string, number> = { [A]: 0, [B]: 0, [C]: 0 }
    for (let step = 0; step < 14; step++) {
      const i = rnd(3)
      if (rnd(3) === 0) {
        const j = rnd(3)
        for (const b of know[j]) know[i].add(b) // i pulls j
      } else {
        const mine = [...know[i]]
        const top = effectiveCursors(mine).top
        const seen: Record<string, number> = {}
        for (const b of mine) if (b.dev !== devs[i]) seen[b.dev] = Math.max(seen[b.dev] ?? 0, b.n)
        const now = 1000 + step * 10 + rnd(80) - 40 // clocks disagree by up to 40
        const cs: number[] = []
        let last = top
        for (let k = 0; k <= rnd(3); k++) cs.push((last = Math.max(now, last + 1)))
        know[i].add(build(devs[i], ++count[devs[i]], seen, cs))
      }
      snapshots.push(new Set(know[i]))
    }
    const all = new Set(know.flatMap((k) => [...k]))
    const L = [...all]
    const effL = new Map(L.map((b, i) => [b, effectiveCursors(L).cursors[i]]))
    for (const S of snapshots) {
      const list = [...S]
      const eS = effectiveCursors(list)
      list.forEach((b, i) => b.entries.forEach((_, j) => assert.ok(effL.get(b)![j] >= eS.cursors[i][j], 'a served cursor moved back')))
      for (const b of L)
        if (!S.has(b))
          for (const c of effL.get(b)!) assert.ok(c > eS.top, `round ${round}: ${c} is not after ${eS.top}, served before it was merged`)
    }
  }
})

test('advance: new versions, edits, audience changes and deletions each get one line, above the ledger', () => {
  const owner = 'f'.repeat(40)
  const post = (stem: string, hash: string, to?: string[]): Post => ({
    id: `${owner}/${stem}`,
    stem,
    file: `feed/${stem}.yaml`,
    hash: hash.repeat(64),
    author: owner,
    data: { type: 'status', published: '2026-01-01T00:00:00Z', ...(to ? { to } : {}) },
  })
  const live = new Set(['public', 'friend:bob'])
  const aud = (p: Post) => (p.data.to ?? ['public']).map((n) => (n === 'public' ? n : `friend:${n}`))
  const first = advanceLedger(deriveLedger([]), [post('a', '1'), post('b', '2', ['bob'])], aud, live, owner, 500)
  assert.equal(
    first.entries.map((e) => [e.k, e.c, e.stem, e.auds]),
    [
      ['V', 500, 'a', ['public']],
      ['V', 501, 'b', ['friend:bob']],
    ],
  )
  const log = [{ dev: A, n: 1, seen: {}, entries: first.entries }]
  // a slow clock: cursors still go up from the ledger's top
  const second = advanceLedger(deriveLedger(log), [post('a', '3', ['bob'])], aud, live, owner, 100)
  assert.equal(
    second.entries.map((e) => [e.k, e.c, e.stem, e.auds]),
    [
      ['V', 502, 'a', ['friend:bob']],
      ['D', 503, 'a', ['public']],
      ['D', 504, 'b', ['friend:bob']],
    ],
  )
  assert.equal(second.audiences['friend:bob'], [
    { id: `${owner}/a`, c: 502 },
    { id: `${owner}/b`, c: 504, d: 1 },
  ])
  const again = advanceLedger(
    deriveLedger([...log, { dev: A, n: 2, seen: {}, entries: second.entries }]),
    [post('a', '3', ['bob'])],
    aud,
    live,
    owner,
    100,
  )
  assert.is(again.entries.length, 0, 'nothing changed, nothing written')
})

test.run()
