// Remembers the nonces of accepted requests for as long as their sentAt is fresh, so a captured request cannot be
// replayed — also across restarts: with a file, each accepted nonce is appended to it before the answer goes out,
// and a starting server reads back the ones still inside the window (docs/protocol.md).
import fs from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import { FRESHNESS_MS } from './updates-request.ts'

export interface ReplayCache {
  /** Throws REPLAYED when this signer already used the nonce within the freshness window. */
  check(signer: string, nonce: string, now: number): void
  size(): number
}

/** `<expiry ms> <signer>:<nonce>` per line; lines that do not parse are ignored. */
const LINE = /^(\d{1,16}) ([0-9a-f]{40}:[0-9a-f]{16,128})$/

function load(file: string, now: number, seen: Map<string, number>): void {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new PeerFeedError('NONCE_STORE', `cannot read the nonce store ${file}: ${(e as Error).message}`, { cause: e })
  }
  for (const line of text.split('\n')) {
    const m = LINE.exec(line)
    if (m && Number(m[1]) > now) seen.set(m[2], Number(m[1]))
  }
}

export function replayCache({
  max = 200_000,
  file,
  now: start = Date.now(),
}: {
  max?: number
  file?: string
  now?: number
} = {}): ReplayCache {
  const seen = new Map<string, number>() // key → expiry (insertion order ≈ expiry order)
  let appended = 0
  const rewrite = () => {
    if (!file) return
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, [...seen].map(([k, exp]) => `${exp} ${k}\n`).join(''))
    fs.renameSync(tmp, file)
    appended = 0
  }
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    load(file, start, seen)
    rewrite() // drops the expired lines
  }
  const prune = (now: number) => {
    for (const [k, exp] of seen) {
      if (exp > now && seen.size < max) break
      seen.delete(k)
    }
  }
  return {
    check(signer, nonce, now) {
      const key = `${signer}:${nonce}`
      const exp = seen.get(key)
      if (exp !== undefined && exp > now)
        throw new PeerFeedError('REPLAYED', 'this request (its nonce) was already used; send a fresh request with a new nonce.')
      prune(now)
      // A nonce stays remembered for two windows: sentAt may be up to 5 minutes in the future.
      const expiry = now + 2 * FRESHNESS_MS
      seen.set(key, expiry)
      if (!file) return
      // Before the answer: a request answered once must be refused after a crash, too.
      fs.appendFileSync(file, `${expiry} ${key}\n`)
      if (++appended > Math.max(10_000, seen.size * 2)) rewrite()
    },
    size: () => seen.size,
  }
}
