// Who wrote what, for the timeline: my fingerprint, my friends' (keys/*.asc), public follows' and the block list.
// Keys are read for their fingerprint alone, without openpgp (crypto/fingerprint.ts): the timeline names authors,
// it trusts no key. A key file that form cannot read goes through openpgp as before; the YAML files (blocked,
// follows) are read only when they matter.
import fs from 'node:fs'
import path from 'node:path'
import { fingerprintOfArmored } from '../crypto/fingerprint.ts'
import { PeerFeedError } from '../errors.ts'
import { nameProblem } from '../identity/names.ts'
import { rel, type Layout } from '../paths.ts'

export interface Authors {
  self: string
  /** fingerprint → 'me' or petname */
  names: Map<string, string>
  /** petname → fingerprint */
  fprOf: Map<string, string>
}

/** My fingerprint, then every readable friend key's. */
export async function readAuthors(l: Layout): Promise<Authors> {
  const self = await selfFingerprint(l)
  const names = new Map<string, string>([[self, 'me']])
  const fprOf = new Map<string, string>()
  let entries: string[] = []
  try {
    entries = fs.readdirSync(l.keys)
  } catch {}
  const selfName = path.basename(l.selfPublicKey)
  for (const f of entries.sort()) {
    if (!f.endsWith('.asc') || f.startsWith('.') || f === selfName) continue
    const name = f.slice(0, -'.asc'.length)
    if (nameProblem(name)) continue
    const fpr = await keyFingerprint(l, path.join(l.keys, f))
    if (fpr) {
      names.set(fpr, name)
      fprOf.set(name, fpr)
    }
  }
  return { self, names, fprOf }
}

/** Adds the fingerprints of public follows (follows.yaml), read only when an inbox folder has no friend key. */
export async function addFollows(l: Layout, a: Authors, folders: string[]): Promise<void> {
  if (folders.every((n) => a.fprOf.has(n)) || !fs.existsSync(l.follows)) return
  const { readFollows } = await import('../sync/follows.ts')
  for (const f of await readFollows(l).catch(() => []))
    if (f.fingerprint && !a.fprOf.has(f.name)) {
      a.names.set(f.fingerprint, f.name)
      a.fprOf.set(f.name, f.fingerprint)
    }
}

/** Fingerprints on the block list (none when there is no list; a broken list blocks nothing, as before). */
export async function readBlocked(l: Layout): Promise<Set<string>> {
  if (!fs.existsSync(l.blocked)) return new Set()
  const { loadBlocked } = await import('../identity/blocked.ts')
  return loadBlocked(l).catch(() => new Set<string>())
}

async function selfFingerprint(l: Layout): Promise<string> {
  let text: string
  try {
    text = fs.readFileSync(l.selfPublicKey, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new PeerFeedError(
        'NO_IDENTITY',
        `no identity in ${l.root}: ${rel(l, l.selfPublicKey)} is missing. Run \`peerfeed init\` first (or pass --root).`,
      )
    throw e
  }
  const fpr = fingerprintOfArmored(text)
  if (fpr) return fpr
  const { loadSelf } = await import('../identity/self.ts')
  return (await loadSelf(l)).fingerprint
}

/** The key file's fingerprint, or undefined when the file is no usable key (check reports those). */
async function keyFingerprint(l: Layout, file: string): Promise<string | undefined> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const fpr = fingerprintOfArmored(text)
  if (fpr) return fpr
  const { readKeyFile } = await import('../identity/self.ts')
  return readKeyFile(l, file).then(
    (k) => k.fingerprint,
    () => undefined,
  )
}
