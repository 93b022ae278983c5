// The cursor ledger on disk: ledger/<device>.txt in the repo, one file per device, append-only, one line per
// post version. A device writes only its own file, so git merges two devices' ledgers without conflicts.
// Format (tab-separated; see docs/devices.md):
//   B  <n>  <seen>                 a build: this device's n-th, and the newest build of every other device it had read
//   V  <cursor> <stem> <hash16> <audiences>   a new post version, entering these audiences
//   A  <cursor> <stem> <audiences>            the current version entering more audiences
//   D  <cursor> <stem> <audiences>            a tombstone in these audiences
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

export const LEDGER_DIR = 'ledger'
export const LEDGER_HEADER = '# peerfeed cursor ledger v1: one line per post version; append-only; see docs/devices.md'

export type EntryKind = 'V' | 'A' | 'D'

export interface LogEntry {
  k: EntryKind
  /** the cursor this device handed out (its effective cursor may be later, see ledger-cursors.ts) */
  c: number
  stem: string
  /** first 16 hex digits of the post file's sha256 (V only) */
  hash?: string
  auds: string[]
}

export interface LogBuild {
  dev: string
  n: number
  /** device → the newest of its builds this build had read */
  seen: Record<string, number>
  entries: LogEntry[]
}

export const DEVICE_ID = /^[0-9a-f]{12}$/
const STEM = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const AUD = /^(public|(friend|group):[a-z0-9][a-z0-9_-]{0,62})$/
const CURSOR = /^[1-9]\d{0,15}$/
const V_LINE = /^V\t([1-9]\d{0,15})\t([A-Za-z0-9][A-Za-z0-9._-]*)\t([0-9a-f]{16})\t([^\t]*)$/
const AD_LINE = /^[AD]\t([1-9]\d{0,15})\t([A-Za-z0-9][A-Za-z0-9._-]*)\t()([^\t]*)$/

export const ledgerFile = (root: string, dev: string) => path.join(root, LEDGER_DIR, `${dev}.txt`)

/** Parses one device's file. A last line without its newline (a write cut short) is ignored. */
export function parseLedgerFile(dev: string, text: string, file = `${LEDGER_DIR}/${dev}.txt`): LogBuild[] {
  const builds: LogBuild[] = []
  const end = text.lastIndexOf('\n') + 1
  let cur: LogBuild | undefined
  let pos = 0
  let lineNo = 0
  // audience lists repeat on almost every line: one checked, shared array per distinct text
  const audCache = new Map<string, string[]>()
  const bad = (what: string): never => {
    throw new PeerFeedError(
      'BAD_LEDGER',
      `${what}. The ledger is written only by peerfeed; restore the file from git (git checkout -- ${file}) or, if it is this device's and was never pushed, move it away and build again.`,
      { file, line: lineNo },
    )
  }
  while (pos < end) {
    const nl = text.indexOf('\n', pos)
    const line = text.slice(pos, nl)
    pos = nl + 1
    lineNo++
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue
    const tab = line.indexOf('\t')
    const k = tab < 0 ? line : line.slice(0, tab)
    if (k === 'B') {
      const f = line.split('\t')
      const n = Number(f[1])
      if (f.length !== 3 || !Number.isSafeInteger(n) || n < 1) bad('a build line must be "B<TAB>n<TAB>seen"')
      if (cur && n <= cur.n) bad(`build ${n} follows build ${cur.n}; builds must count up`)
      const seen: Record<string, number> = {}
      if (f[2] !== '-') {
        for (const part of f[2].split(',')) {
          const [d, m] = part.split(':')
          if (!DEVICE_ID.test(d) || !/^\d+$/.test(m ?? '')) bad(`"${part}" is not device:build`)
          seen[d] = Number(m)
        }
      }
      cur = { dev, n, seen, entries: [] }
      builds.push(cur)
      continue
    }
    // the common case in one regex; anything it does not match goes through the checks that say what is wrong
    const m = (k === 'V' ? V_LINE : AD_LINE).exec(line)
    if (m && cur) {
      const isV = k === 'V'
      const raw = m[4]
      let auds = audCache.get(raw)
      if (!auds) {
        auds = raw === '' ? [] : raw.split(',')
        for (const a of auds) if (!AUD.test(a)) bad(`"${a.slice(0, 70)}" is not an audience`)
        audCache.set(raw, auds)
      }
      cur.entries.push({ k: k as EntryKind, c: Number(m[1]), stem: m[2], hash: isV ? m[3] : undefined, auds })
      continue
    }
    const f = line.split('\t')
    if (k !== 'V' && k !== 'A' && k !== 'D') bad(`unknown line kind "${k.slice(0, 10)}"`)
    if (!cur) bad('an entry before any build line')
    const isV = k === 'V'
    if (f.length !== (isV ? 5 : 4)) bad(`a ${k} line has ${isV ? 5 : 4} tab-separated fields, this one ${f.length}`)
    if (!CURSOR.test(f[1])) bad(`"${f[1].slice(0, 20)}" is not a cursor`)
    if (!STEM.test(f[2])) bad(`"${f[2].slice(0, 60)}" is not a post file name`)
    if (isV && !/^[0-9a-f]{16}$/.test(f[3])) bad('a version hash is 16 hex digits')
    for (const a of f[isV ? 4 : 3].split(',')) if (!AUD.test(a)) bad(`"${a.slice(0, 70)}" is not an audience`)
    bad('a malformed line')
  }
  return builds
}

export function formatBuild(b: LogBuild): string {
  const seen =
    Object.keys(b.seen)
      .sort()
      .map((d) => `${d}:${b.seen[d]}`)
      .join(',') || '-'
  let s = `B\t${b.n}\t${seen}\n`
  for (const e of b.entries)
    s += e.k === 'V' ? `V\t${e.c}\t${e.stem}\t${e.hash}\t${e.auds.join(',')}\n` : `${e.k}\t${e.c}\t${e.stem}\t${e.auds.join(',')}\n`
  return s
}

/** Every device's builds under root/ledger/, and the bytes read. */
export async function readLedger(root: string): Promise<{ builds: LogBuild[]; bytes: number }> {
  const dir = path.join(root, LEDGER_DIR)
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.txt')).sort()
  const builds: LogBuild[] = []
  let bytes = 0
  await Promise.all(
    names.map(async (name) => {
      const dev = name.slice(0, -4)
      if (!DEVICE_ID.test(dev)) return // not a ledger file (a README, a note): leave it alone
      const text = await fs.readFile(path.join(dir, name), 'utf8')
      bytes += text.length
      for (const b of parseLedgerFile(dev, text)) builds.push(b)
    }),
  )
  return { builds, bytes }
}

/**
 * Appends one build to this device's file and makes it durable before the build's output goes live. A tail cut
 * short by a crash (no final newline) is dropped first: those lines were never served.
 */
export async function appendBuild(root: string, b: LogBuild): Promise<void> {
  const file = ledgerFile(root, b.dev)
  await fs.mkdir(path.dirname(file), { recursive: true })
  const fh = await fs.open(file, 'a+')
  try {
    const { size } = await fh.stat()
    if (size === 0) await fh.write(`${LEDGER_HEADER}\n`)
    else {
      const tailLen = Math.min(size, 4096)
      const tail = Buffer.alloc(tailLen)
      await fh.read(tail, 0, tailLen, size - tailLen)
      if (tail[tailLen - 1] !== 0x0a) {
        const lastNl = tail.lastIndexOf(0x0a)
        await fh.truncate(lastNl < 0 ? size - tailLen : size - tailLen + lastNl + 1)
      }
    }
    await fh.write(formatBuild(b))
    await fh.sync()
  } finally {
    await fh.close()
  }
}
