// The cached ledger view (ledger-cache.ts) against the view derived from scratch, on real files: every change to a
// ledger file — an append, a rewrite with the same size and time, a merge of concurrent builds, a new or removed
// file, a torn last line — is seen, and the cache is used only where it gives the same view.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { byAudience, deriveLedger, type LedgerView, versionOf } from '../../src/build/ledger.ts'
import { clearLedgerCache, ledgerView, saveLedgerView } from '../../src/build/ledger-cache.ts'
import { appendBuild, formatBuild, LEDGER_DIR, type LogBuild, readLedger } from '../../src/build/ledger-log.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('ledger cache')
const A = 'aaaaaaaaaaaa'
const B = 'bbbbbbbbbbbb'
const C = 'cccccccccccc'
const AUDS = [['public'], ['friend:bob'], ['public', 'group:fam']]

const show = (v: LedgerView) =>
  JSON.stringify([
    v.last,
    [...v.slots.keys()].sort().map((s) => [s, versionOf(v, s)]),
    [...byAudience(v)].sort().map(([a, l]) => [a, l.slots.map((slot, i) => [v.stems[slot], l.cs[i]]).sort()]),
    Object.entries(v.newest).sort(),
  ])
/** The cached view must be exactly the view derived from every line; returns how the cache made it. */
async function check(root: string, why: string, snapshot?: string) {
  const got = await ledgerView(root, { snapshot })
  const want = deriveLedger((await readLedger(root)).builds)
  assert.is(show(got.view), show(want), `${why}: the cached view differs from the derived one (${got.how})`)
  return got.how
}
let stemNo = 0
const build = (dev: string, n: number, seen: Record<string, number>, cs: number[], stems?: string[]): LogBuild => ({
  dev,
  n,
  seen,
  entries: cs.map((c, i) => ({
    k: 'V' as const,
    c,
    stem: stems?.[i] ?? `s${stemNo++}`,
    hash: (c * 7919).toString(16).padStart(16, '0').slice(-16),
    auds: AUDS[c % 3],
  })),
})
const file = (root: string, dev: string) => path.join(root, LEDGER_DIR, `${dev}.txt`)

test('append, nothing changed, a same-size rewrite with the same time, a merge, a new and a removed file', async () => {
  clearLedgerCache()
  const root = await tempDir('peerfeed-ledger-cache-')
  assert.is(await check(root, 'no ledger yet'), 'full')
  await appendBuild(root, build(A, 1, {}, [100, 101]))
  await appendBuild(root, build(B, 1, { [A]: 1 }, [102], ['s0']))
  assert.is(await check(root, 'two files where there were none'), 'appended')
  assert.is(await check(root, 'nothing changed'), 'unchanged')

  // a build that read everything: applied on top
  await appendBuild(root, build(A, 2, { [B]: 1 }, [90, 95])) // A's clock behind: its cursors go after the top
  assert.is(await check(root, 'an append after reading everything'), 'appended')
  assert.is((await ledgerView(root)).view.last, 104)

  // the same bytes count, the same modification time, one digit different: seen
  const f = file(root, A)
  const before = await fs.stat(f)
  const text = await fs.readFile(f, 'utf8')
  const changed = text.replace('\t100\t', '\t109\t')
  assert.is.not(changed, text)
  assert.is(changed.length, text.length)
  await fs.writeFile(f, changed)
  await fs.utimes(f, before.atime, before.mtime)
  assert.is((await fs.stat(f)).size, before.size)
  assert.is(await check(root, 'a rewrite with the same size and time'), 'full')

  // a merge: B built twice without seeing A's second build (a laptop offline), then git brought both together
  await appendBuild(root, build(B, 2, { [A]: 1 }, [95]))
  await appendBuild(root, build(B, 3, { [A]: 1 }, [96, 97]))
  assert.is(await check(root, 'concurrent builds merged'), 'merged')
  const moved = (await ledgerView(root)).view
  assert.ok(moved.last > 104, 'the offline builds moved after what A could have served')

  // a third device that read everything joins with its own file
  await appendBuild(root, build(C, 1, { [A]: 2, [B]: 3 }, [300]))
  assert.is(await check(root, 'a new device file'), 'appended')
  // two devices appending in turn, both applied
  await appendBuild(root, build(A, 3, { [B]: 3, [C]: 1 }, [310]))
  await appendBuild(root, build(C, 2, { [A]: 3, [B]: 3 }, [320]))
  assert.is(await check(root, 'two appends in a chain'), 'appended')

  // a torn last line (a crash), then the next build drops it and appends
  await fs.appendFile(file(root, B), 'B\t4\taaaaaaaa')
  assert.is(await check(root, 'a torn tail'), 'unchanged')
  await appendBuild(root, build(B, 4, { [A]: 3, [C]: 2 }, [400]))
  assert.is(await check(root, 'after the torn tail was replaced'), 'appended')

  // a file removed (say, a rebase that dropped a device's commits): derived again
  await fs.rm(file(root, C))
  assert.is(await check(root, 'a removed file'), 'full')
  // a file cut shorter than what was read, then grown back to a larger size with other content
  const fb = file(root, B)
  const tb = await fs.readFile(fb, 'utf8')
  await fs.writeFile(fb, `${tb.slice(0, tb.indexOf('B\t2'))}${formatBuild(build(B, 2, { [A]: 3 }, [500, 501, 502, 503]))}`)
  assert.is(await check(root, 'a file rewritten with different content'), 'full')
  await fs.rm(root, { recursive: true, force: true })
})

test('random histories of three devices: after every build the cached view is the derived one', async () => {
  clearLedgerCache()
  const root = await tempDir('peerfeed-ledger-cache-')
  await fs.mkdir(path.join(root, LEDGER_DIR))
  let seed = 7
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const devs = [A, B, C]
  const newest: Record<string, number> = {}
  // what each device knew of the others when it last merged
  const knows: Record<string, Record<string, number>> = { [A]: {}, [B]: {}, [C]: {} }
  const clock: Record<string, number> = { [A]: 1000, [B]: 900, [C]: 1100 }
  const hows: Record<string, number> = {}
  const snapshot = path.join(root, 'ledger-view.bin')
  for (let step = 0; step < 120; step++) {
    const d = devs[Math.floor(rnd() * 3)]
    if (rnd() < 0.7) knows[d] = Object.fromEntries(Object.entries(newest).filter(([o]) => o !== d)) // merged first
    const n = (newest[d] ?? 0) + 1
    clock[d] += 10 + Math.floor(rnd() * 20)
    const k = Math.floor(rnd() * 3)
    // now and then an edit of an earlier post
    const stems = Array.from({ length: k }, () => (rnd() < 0.2 && stemNo ? `s${Math.floor(rnd() * stemNo)}` : `s${stemNo++}`))
    const b = build(
      d,
      n,
      knows[d],
      Array.from({ length: k }, (_, i) => clock[d] + i),
      stems,
    )
    for (const e of b.entries) {
      // now and then a tombstone or a post entering more audiences, and a hash that ties another device's
      const r = rnd()
      if (r < 0.15) Object.assign(e, { k: 'D', hash: undefined })
      else if (r < 0.25) Object.assign(e, { k: 'A', hash: undefined })
      else if (r < 0.35) e.hash = 'f'.repeat(15) + Math.floor(rnd() * 3)
    }
    if (rnd() < 0.2) b.entries.reverse() // lines written out of cursor order
    await appendBuild(root, b)
    newest[d] = n
    // every third step a new process: the view comes from the snapshot the last one saved
    if (step % 3 === 0) {
      await saveLedgerView(root, snapshot)
      clearLedgerCache()
    }
    const how = await check(root, `step ${step}`, step % 3 === 0 ? snapshot : undefined)
    hows[how] = (hows[how] ?? 0) + 1
  }
  assert.ok(hows.appended > 20, `the cache was used: ${JSON.stringify(hows)}`)
  assert.ok(hows.merged > 5, `and concurrent builds moved earlier ones: ${JSON.stringify(hows)}`)
  // a cold read of the same files gives the same view
  const warm = show((await ledgerView(root)).view)
  clearLedgerCache()
  assert.is(show((await ledgerView(root)).view), warm)
  await fs.rm(root, { recursive: true, force: true })
})

test('a new process starts from the snapshot on disk, and still sees every change', async () => {
  clearLedgerCache()
  const root = await tempDir('peerfeed-ledger-cache-')
  const snapshot = path.join(root, 'ledger-view.bin')
  await appendBuild(root, build(A, 1, {}, [100, 101, 102]))
  await appendBuild(root, build(B, 1, { [A]: 1 }, [103], ['s0']))
  await appendBuild(root, { dev: A, n: 2, seen: { [B]: 1 }, entries: [{ k: 'D', c: 104, stem: 's1', auds: ['public'] }] })
  assert.is(await check(root, 'first read'), 'full')
  assert.is(await ledgerView(root, { snapshot }).then((r) => r.how), 'unchanged', 'memory first')
  await saveLedgerView(root, snapshot)
  const saved = await fs.readFile(snapshot)

  // a new process: no memory, the snapshot
  clearLedgerCache()
  const fresh = await ledgerView(root, { snapshot })
  assert.is(fresh.how, 'unchanged')
  assert.is(show(fresh.view), show(deriveLedger((await readLedger(root)).builds)), 'the snapshot holds the view, tombstones too')
  clearLedgerCache()
  await appendBuild(root, build(B, 2, { [A]: 2 }, [200]))
  assert.is((await ledgerView(root, { snapshot })).how, 'appended')
  assert.is(await check(root, 'appended to the snapshot'), 'unchanged')

  // the same bytes count and time, other content: the snapshot is not used
  clearLedgerCache()
  await fs.writeFile(snapshot, saved)
  const f = file(root, A)
  const st = await fs.stat(f)
  await fs.writeFile(f, (await fs.readFile(f, 'utf8')).replace('\t101\t', '\t107\t'))
  await fs.utimes(f, st.atime, st.mtime)
  assert.is((await ledgerView(root, { snapshot })).how, 'full')
  assert.is(await check(root, 'a rewrite under the snapshot'), 'unchanged')

  // a cut, damaged or foreign snapshot is ignored (damaged: the last entry's chain link points past itself)
  await saveLedgerView(root, snapshot)
  const good = await fs.readFile(snapshot)
  clearLedgerCache()
  assert.is((await ledgerView(root, { snapshot })).how, 'unchanged', 'the snapshot of these files is used')
  const damaged = Buffer.from(good)
  damaged.writeInt32LE(0x7fffffff, damaged.length - 4)
  for (const bad of [good.subarray(0, good.length >> 1), damaged, Buffer.from('not a snapshot'), Buffer.alloc(0)]) {
    clearLedgerCache()
    await fs.writeFile(snapshot, bad)
    assert.is((await ledgerView(root, { snapshot })).how, 'full')
  }
  await fs.rm(root, { recursive: true, force: true })
})

test('a cold read agrees with the line-by-line parse on unusual text, and leaves malformed lines to its errors', async () => {
  const root = await tempDir('peerfeed-ledger-cache-')
  await fs.mkdir(path.join(root, LEDGER_DIR))
  const H = '0123456789abcdef'
  // valid, if unusual: comments and empty lines, a 16-digit cursor, no audience, dots and dashes, lines out of order
  const odd = [
    '# a comment',
    'B\t1\t-',
    '',
    `V\t1234567890123456\ta.b_c-d\t${H}\t`,
    `V\t5\tz9\t${H}\tpublic,friend:bob,group:f_2`,
    '# another',
    `A\t4\tz9\tfriend:carol`,
    `D\t3\tgone\tpublic`,
    `B\t3\t${B}:1`,
    `V\t2\tz9\t${'f'.repeat(16)}\tpublic`,
  ].join('\n')
  await fs.writeFile(file(root, A), `${odd}\n`)
  await fs.writeFile(file(root, B), `B\t1\t${A}:1\nV\t7\tz9\t${H}\tpublic\n`)
  clearLedgerCache()
  assert.is(await check(root, 'unusual text'), 'full')
  await appendBuild(root, build(B, 2, { [A]: 3 }, [20]))
  assert.is(await check(root, 'a build after the unusual text'), 'appended', 'the unusual text was read in columns, not line by line')

  const bad: [string, string][] = [
    ['V\t0123\ts\t0123456789abcdef\tpublic', 'is not a cursor'],
    ['V\t12345678901234567\ts\t0123456789abcdef\tpublic', 'is not a cursor'],
    ['V\t12\t.s\t0123456789abcdef\tpublic', 'is not a post file name'],
    ['V\t12\ts\t0123456789ABCDEF\tpublic', 'a version hash is 16 hex digits'],
    ['V\t12\ts\t0123456789abcde\tpublic', 'a version hash is 16 hex digits'],
    ['V\t12\ts\t0123456789abcdef\tpublic\textra', 'tab-separated fields'],
    ['A\t12\ts\tfriend:', 'is not an audience'],
    ['D\t12\ts\tpublic\r', 'is not an audience'],
    ['X\t12\ts\tpublic', 'unknown line kind'],
    ['B\t1\t-', 'builds must count up'],
  ]
  for (const [line, says] of bad) {
    clearLedgerCache()
    await fs.writeFile(file(root, B), `B\t1\t${A}:1\nV\t7\tz9\t${H}\tpublic\n${line}\n`)
    try {
      await ledgerView(root)
      assert.unreachable(`accepted ${JSON.stringify(line)}`)
    } catch (e) {
      const err = e as { code?: string; place?: { line: number; file: string } }
      assert.is(err.code, 'BAD_LEDGER', `${JSON.stringify(line)}: ${e}`)
      assert.is(err.place?.line, 3, JSON.stringify(line))
      assert.match(String(e), says)
    }
  }
  // an entry before any build line
  clearLedgerCache()
  await fs.writeFile(file(root, B), `V\t7\tz9\t${H}\tpublic\n`)
  await ledgerView(root).then(
    () => assert.unreachable('an entry without its build was accepted'),
    (e) => assert.match(String(e), 'an entry before any build line'),
  )
  await fs.rm(root, { recursive: true, force: true })
})

test.run()
