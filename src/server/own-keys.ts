// The owner's keys as the server holds them, reloaded when they change (key rotate, key revoke, device join) without
// a restart: the current secret key, the earlier ones kept in .peerfeed/old-keys/, and the signed hand-overs between them.
import fs from 'node:fs'
import path from 'node:path'
import type { RotationStatement } from '../crypto/key-life.ts'
import { readSecretKey, type SecretKey } from '../crypto/index.ts'
import { oldKeysDir, readRotations, rotationsFile } from '../identity/key-life.ts'
import type { Layout } from '../paths.ts'

export interface OwnKeys {
  current: SecretKey
  /** every key a request may be encrypted to: the current one first, then the earlier ones */
  all: readonly SecretKey[]
  /** keys/self.asc carries a revocation: nothing is answered under it any more */
  revoked: boolean
  /** old fingerprint → the statement (signed by it and by its successor) that hands it over */
  handover: ReadonlyMap<string, RotationStatement>
}

/** The statements that lead from key `from` to key `to`, oldest first; empty when they are the same or no chain joins them. */
export function rotationChain(keys: OwnKeys, from: string, to: string): RotationStatement[] {
  const chain: RotationStatement[] = []
  for (let at = from; at !== to; ) {
    const step = keys.handover.get(at)
    if (!step || chain.length > keys.handover.size) return []
    chain.push(step)
    at = fingerprintsOf(step).new
  }
  return chain
}

function fingerprintsOf(r: RotationStatement): { old: string; new: string } {
  try {
    const b = JSON.parse(r.statement) as { old?: unknown; new?: unknown }
    return { old: String(b.old), new: String(b.new) }
  } catch {
    return { old: '', new: '' }
  }
}

const stamp = (p: string) => {
  const st = fs.statSync(p, { throwIfNoEntry: false })
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : '-'
}

async function load(layout: Layout, passphrase: string | undefined, log: (m: string) => void): Promise<OwnKeys> {
  const { loadSelf } = await import('../identity/index.ts')
  const self = await loadSelf(layout, { passphrase, requireSecret: true })
  const current = self.secretKey!
  const all = [current]
  const dir = oldKeysDir(layout)
  const names = await fs.promises.readdir(dir).catch(() => [] as string[])
  for (const name of names.filter((n) => n.endsWith('.secret.asc')).sort()) {
    try {
      const key = await readSecretKey(await fs.promises.readFile(path.join(dir, name), 'utf8'), { passphrase, source: name })
      if (key.fingerprint !== current.fingerprint) all.push(key)
    } catch (e) {
      log(`not answering requests sent to the earlier key in ${name}: ${(e as Error).message}`)
    }
  }
  const handover = new Map<string, RotationStatement>()
  for (const r of await readRotations(layout)) handover.set(fingerprintsOf(r).old, r)
  return { current, all, revoked: self.publicKey.revoked, handover }
}

/**
 * One stat per file per call; a reload when the public or secret key, the earlier keys or the rotations changed.
 * A reload that fails (a rotation half written) keeps the keys loaded before and is tried again on the next call.
 */
export function ownKeysCache(
  layout: Layout,
  { passphrase, log = () => {} }: { passphrase?: string; log?: (m: string) => void } = {},
): { get(): Promise<OwnKeys> } {
  let key = ''
  let current: Promise<OwnKeys> | undefined
  let good: OwnKeys | undefined
  return {
    get() {
      const k = [layout.selfPublicKey, layout.selfSecretKey, oldKeysDir(layout), rotationsFile(layout)].map(stamp).join('|')
      if (current && k === key) return current
      key = k
      current = load(layout, passphrase, log).then(
        (keys) => {
          if (good && good.current.fingerprint !== keys.current.fingerprint)
            log(
              `now serving with key ${keys.current.fingerprint}; requests sent to ${keys.all.length - 1} earlier key(s) are still answered`,
            )
          good = keys
          return keys
        },
        (e) => {
          key = ''
          if (!good) throw e
          log(`keeping the keys loaded before: ${(e as Error).message}`)
          return good
        },
      )
      return current
    },
  }
}
