// My key's life: the revocation certificate init keeps offline-ready, `key revoke`, `key rotate`, and the
// rotation chain the build publishes. Old keys are kept: public ones in keys/history/, secret ones in .peerfeed/old-keys/.
import fs from 'node:fs/promises'
import path from 'node:path'
import { applyRevocation, makeRevocation, signRotation, type RotationStatement } from '../crypto/key-life.ts'
import { generateIdentity, readSecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { commitPaths, isRepo } from '../git.ts'
import { rel, type Layout } from '../paths.ts'
import { loadSelf, readKeyFile } from './self.ts'

export const revocationFile = (l: Layout) => path.join(l.state, 'self.revocation.asc')
/** Every rotation of my key, oldest first (public: committed, published as /key-rotation.json). */
export const rotationsFile = (l: Layout) => path.join(l.keys, 'self.rotations.json')
export const historyDir = (l: Layout) => path.join(l.keys, 'history')
/** Where sync keeps a friend's replaced or revoked keys. */
export const friendHistoryFile = (l: Layout, name: string, fingerprint: string) => path.join(historyDir(l), `${name}-${fingerprint}.asc`)
/** My earlier secret keys (and their certificates), kept after `key rotate`: `serve` still opens requests sent to them. */
export const oldKeysDir = (l: Layout) => path.join(l.state, 'old-keys')
const oldSecretFile = (l: Layout, fingerprint: string) => path.join(oldKeysDir(l), `${fingerprint}.secret.asc`)

/** What init tells the owner about the certificate. */
export const REVOCATION_ADVICE =
  'keep a copy of it offline (print it, or put it on a USB stick in a drawer): with it you can revoke your key even if this machine is lost; anyone holding it can revoke your key, nothing more'

export async function writeRevocation(l: Layout, certificate: string): Promise<void> {
  await writeFileAtomic(revocationFile(l), certificate, { mode: 0o600 })
}

export interface Revoked {
  fingerprint: string
  certificateMade: boolean
  committed: boolean
}

/**
 * Applies my revocation certificate to keys/self.asc (making one from the secret key when init made none) and
 * commits it; the next build publishes it at /key.asc, where friends' sync finds it.
 */
export async function revokeSelf(
  l: Layout,
  { passphrase, reason, date = new Date() }: { passphrase?: string; reason?: string; date?: Date } = {},
): Promise<Revoked> {
  const pub = await readKeyFile(l, l.selfPublicKey, date)
  if (pub.revoked)
    throw new PeerFeedError(
      'ALREADY_REVOKED',
      `your key ${pub.fingerprint} is already revoked (${rel(l, l.selfPublicKey)}); build and publish so friends see it.`,
    )
  let certificate = await fs.readFile(revocationFile(l), 'utf8').catch(() => undefined)
  let certificateMade = false
  if (certificate === undefined || reason) {
    const self = await loadSelf(l, { passphrase, requireSecret: true })
    certificate = await makeRevocation({ key: self.secretKey!, reason, date })
    certificateMade = true
  }
  const revoked = await applyRevocation({ key: pub, certificate, date })
  await writeFileAtomic(l.selfPublicKey, revoked.armored)
  const committed =
    (await isRepo(l.root)) &&
    (await commitPaths(l.root, [rel(l, l.selfPublicKey)], `key: revoke ${pub.fingerprint}`).then(
      () => true,
      () => false,
    ))
  return { fingerprint: pub.fingerprint, certificateMade, committed }
}

export interface Rotated {
  old: string
  new: string
  committed: boolean
}

/**
 * A new key for me: the old public key goes to keys/history/, its secret to .peerfeed/old-keys/, a statement
 * signed by both is appended to keys/self.rotations.json, and the new key takes keys/self.asc. The new secret key
 * is protected by `passphrase` like the old one. Commits keys/.
 */
export async function rotateSelf(
  l: Layout,
  { passphrase, date = new Date() }: { passphrase?: string; date?: Date } = {},
): Promise<Rotated> {
  const self = await loadSelf(l, { passphrase, requireSecret: true })
  if (self.publicKey.revoked)
    throw new PeerFeedError(
      'KEY_REVOKED',
      'your key is revoked: a revoked key cannot vouch for a new one. Make a new identity; friends must add it again (see docs/devices.md).',
    )
  const id = await generateIdentity({ name: self.publicKey.name || self.name, email: self.publicKey.email || undefined, passphrase, date })
  const next = await readSecretKey(id.secretArmored, { passphrase, source: 'the new key' })
  const statement = await signRotation({ prev: self.secretKey!, next, date })
  const chain = await readRotations(l)
  chain.push(statement)
  const oldSecret = await fs.readFile(l.selfSecretKey, 'utf8')
  // the old halves are kept before anything is replaced: a crash leaves both keys on disk, never neither
  await fs.mkdir(path.dirname(oldSecretFile(l, self.fingerprint)), { recursive: true, mode: 0o700 })
  await writeFileAtomic(oldSecretFile(l, self.fingerprint), oldSecret, { mode: 0o600 })
  await writeFileAtomic(path.join(historyDir(l), `self-${self.fingerprint}.asc`), self.publicKey.armored)
  if (await exists(revocationFile(l)))
    await fs.rename(revocationFile(l), path.join(l.state, 'old-keys', `${self.fingerprint}.revocation.asc`))
  await writeFileAtomic(rotationsFile(l), `${JSON.stringify(chain, null, 1)}\n`)
  await writeFileAtomic(l.selfSecretKey, id.secretArmored, { mode: 0o600 })
  await writeFileAtomic(l.selfPublicKey, id.publicArmored)
  await writeRevocation(l, id.revocationArmored)
  const paths = [rel(l, l.selfPublicKey), rel(l, rotationsFile(l)), rel(l, path.join(historyDir(l), `self-${self.fingerprint}.asc`))]
  const committed =
    (await isRepo(l.root)) &&
    (await commitPaths(l.root, paths, `key: rotate ${self.fingerprint} → ${id.fingerprint}`).then(
      () => true,
      () => false,
    ))
  return { old: self.fingerprint, new: id.fingerprint, committed }
}

export async function readRotations(l: Layout): Promise<RotationStatement[]> {
  const text = await fs.readFile(rotationsFile(l), 'utf8').catch(() => undefined)
  if (text === undefined) return []
  try {
    const v = JSON.parse(text)
    if (Array.isArray(v)) return v as RotationStatement[]
  } catch {
    // reported below
  }
  throw new PeerFeedError('BAD_ROTATIONS', `${rel(l, rotationsFile(l))} is not a list of rotation statements; restore it from git.`, {
    file: rel(l, rotationsFile(l)),
  })
}
