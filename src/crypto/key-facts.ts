// What checking a public key found (fingerprint, user IDs, revoked, expired, usable for encryption), kept on disk by the
// key's text, so a command that reads fifty friends' keys does not verify a hundred self-signatures each time it starts
// (about 2 ms a key). The facts are a function of the key's bytes and of the date, and the date enters only by
// comparison with the instants the key names: its packets' creation times, its signatures' creation and expiry times,
// and its key expiry times. Facts found at one date therefore stand until the next such instant, and are used only
// from the second they were found until it. The key is still parsed on every read, and OpenPGP.js checks it again
// whenever it encrypts to it or verifies with it. The file lives in the feed's git-ignored state folder.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type * as openpgp from 'openpgp'

export interface PublicFacts {
  fingerprint: string
  userIds: string[]
  hasEncryptionKey: boolean
  encryptionProblem?: string
  expired: boolean
  /** when the key or its encryption subkey expires (ms), if it has a date in the future */
  expiresAt?: number
  revoked: boolean
  keyIds: string[]
}

/** `[facts, from, until]`: found at `from` (a whole second, ms), standing until `until` (null: no instant to come). */
type Entry = [PublicFacts, number, number | null]

const FORMAT = 1
const MAX_ENTRIES = 2000

interface Store {
  entries: Map<string, Entry>
}

const stores = new Map<string, Store>()

/** OpenPGP.js compares dates at whole seconds. */
const second = (date: Date) => Math.floor(date.getTime() / 1000) * 1000

function load(file: string): Store {
  let s = stores.get(file)
  if (s) return s
  s = { entries: new Map() }
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { v?: number; entries?: [string, Entry][] }
    if (j.v === FORMAT && Array.isArray(j.entries)) s.entries = new Map(j.entries.filter(validEntry))
  } catch {
    // missing or damaged: only a cache, the keys are checked again
  }
  stores.set(file, s)
  return s
}

const validEntry = (e: unknown): e is [string, Entry] =>
  Array.isArray(e) &&
  typeof e[0] === 'string' &&
  Array.isArray(e[1]) &&
  typeof e[1][0]?.fingerprint === 'string' &&
  Array.isArray(e[1][0].userIds) &&
  Array.isArray(e[1][0].keyIds) &&
  typeof e[1][1] === 'number' &&
  (e[1][2] === null || typeof e[1][2] === 'number')

/** The hash a key's text is kept under. */
export const factsKey = (text: string | Uint8Array) => crypto.createHash('sha256').update(text).digest('hex')

/** The facts kept for this key text at `date`, or undefined when none stand then. */
export function cachedFacts(file: string, key: string, date: Date): PublicFacts | undefined {
  const e = load(file).entries.get(key)
  if (!e) return undefined
  const t = second(date)
  return e[1] <= t && (e[2] === null || t < e[2]) ? e[0] : undefined
}

/** Keeps the facts found at `date` for the parsed key `k`, until the first instant after `date` that the key names. */
export function keepFacts(file: string, key: string, k: openpgp.PublicKey, date: Date, facts: PublicFacts): void {
  const s = load(file)
  const t = second(date)
  const next = instantsOf(k).filter((x) => x > t)
  s.entries.delete(key)
  s.entries.set(key, [facts, t, next.length ? Math.min(...next) : null])
  while (s.entries.size > MAX_ENTRIES) s.entries.delete(s.entries.keys().next().value!)
  // written at once (a few kB): a write left for later could land in a feed folder removed meanwhile
  save(file, s)
}

/** Writes the cache (temp file + rename); a failed write only costs the next run its speed. */
function save(file: string, s: Store): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(tmp, JSON.stringify({ v: FORMAT, entries: [...s.entries] }))
    fs.renameSync(tmp, file)
  } catch {
    fs.rmSync(tmp, { force: true })
  }
}

interface SigLike {
  created?: Date | null
  signatureNeverExpires?: boolean
  signatureExpirationTime?: number | null
  keyNeverExpires?: boolean
  keyExpirationTime?: number | null
}

/**
 * Every instant (ms) at which a check of this key may answer differently: each key packet's creation; each
 * signature's creation and expiry; and each key expiry a signature sets, counted from every key packet (a superset:
 * an extra instant only shortens how long facts are kept).
 */
export function instantsOf(k: openpgp.PublicKey): number[] {
  const packets = [k.keyPacket, ...k.subkeys.map((s) => s.keyPacket)]
  const created = packets.map((p) => p.getCreationTime().getTime())
  const sigs: SigLike[] = [
    ...k.revocationSignatures,
    // typed in OpenPGP.js's code but not in its declarations
    ...((k as unknown as { directSignatures?: SigLike[] }).directSignatures ?? []),
    ...k.users.flatMap((u) => [...u.selfCertifications, ...u.otherCertifications, ...u.revocationSignatures]),
    ...k.subkeys.flatMap((s) => [...s.bindingSignatures, ...s.revocationSignatures]),
  ] as SigLike[]
  const out = [...created]
  for (const sig of sigs) {
    const c = sig.created?.getTime()
    if (c === undefined) continue
    out.push(c)
    if (!sig.signatureNeverExpires && sig.signatureExpirationTime) out.push(c + sig.signatureExpirationTime * 1000)
    if (!sig.keyNeverExpires && sig.keyExpirationTime) for (const p of created) out.push(p + sig.keyExpirationTime * 1000)
  }
  return out.filter((x) => Number.isFinite(x))
}
