// The owner's identity: keys/self.asc (public, committed) and .peerfeed/self.secret.asc (secret, mode 0600, git-ignored).
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateIdentity, renameIdentity, readPublicKey, readSecretKey, type PublicKey, type SecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { loadConfig, saveConfig } from './config.ts'

export { passphraseFrom } from './passphrase.ts'

export interface Self {
  publicKey: PublicKey
  secretKey?: SecretKey
  fingerprint: string
  name: string
  email: string
}

/**
 * Creates the owner's key pair unless one exists. Never replaces an identity: with both halves present it
 * does nothing; with only one half it stops and says which is missing.
 */
export async function ensureIdentity(
  l: Layout,
  { name, email, passphrase, date = new Date() }: { name?: string; email?: string; passphrase?: string; date?: Date } = {},
): Promise<{ created: boolean; fingerprint: string }> {
  const [hasPublic, hasSecret] = await Promise.all([exists(l.selfPublicKey), exists(l.selfSecretKey)])
  if (hasPublic && hasSecret) {
    const pub = await readKeyFile(l, l.selfPublicKey)
    return { created: false, fingerprint: pub.fingerprint }
  }
  if (hasPublic !== hasSecret) {
    const [have, missing] = hasPublic ? [l.selfPublicKey, l.selfSecretKey] : [l.selfSecretKey, l.selfPublicKey]
    throw new PeerFeedError(
      'HALF_IDENTITY',
      `found ${rel(l, have)} but not ${rel(l, missing)}. Restore the missing file from your backup; refusing to create a new identity over half of an old one.`,
      { file: rel(l, missing) },
    )
  }
  const config = await loadConfig(l)
  // never the operating-system user: a site titled "root" is not anyone's name
  const who = name?.trim() || config.name
  if (!who)
    throw new PeerFeedError(
      'NAME_REQUIRED',
      'your name is needed to make your key (friends see it): run `peerfeed init --name "Your Name"`.',
    )
  const mail = email?.trim() || config.email || undefined
  const id = await generateIdentity({ name: who, email: mail, passphrase, date })
  await fs.mkdir(l.state, { recursive: true, mode: 0o700 })
  // Belt and braces: even a feed whose .gitignore forgot .peerfeed/ never commits the secret key.
  if (!(await exists(`${l.state}/.gitignore`)))
    await writeFileAtomic(`${l.state}/.gitignore`, '# Local state: never commit or publish.\n*\n')
  // Secret first, exclusively: a crash leaves a half that the next run reports instead of overwriting.
  await writeFileAtomic(l.selfSecretKey, id.secretArmored, { mode: 0o600, exclusive: true })
  await fs.chmod(l.selfSecretKey, 0o600)
  await writeFileAtomic(l.selfPublicKey, id.publicArmored, { exclusive: true })
  const { writeRevocation } = await import('./key-life.ts')
  await writeRevocation(l, id.revocationArmored)
  const patch: Record<string, string> = {}
  if (!config.name) patch.name = who
  if (!config.email && mail) patch.email = mail
  if (Object.keys(patch).length) await saveConfig(l, patch)
  return { created: true, fingerprint: id.fingerprint }
}

/**
 * Changes my name (and email) in peerfeed.yaml and in my key's user ID, with a new self-certification: the key
 * material and the fingerprint stay the same. `changed` is false when both already say so.
 */
export async function renameSelf(
  l: Layout,
  { name, email, passphrase, date = new Date() }: { name?: string; email?: string; passphrase?: string; date?: Date },
): Promise<{ changed: boolean; fingerprint: string; name: string; email: string; before: string }> {
  const self = await loadSelf(l, { passphrase, requireSecret: true })
  const config = await loadConfig(l)
  const newName = name?.trim() || self.publicKey.name
  const newEmail = email === undefined ? self.publicKey.email : email.trim()
  const before = self.publicKey.userIds.join(', ')
  const keySame = newName === self.publicKey.name && newEmail === self.publicKey.email && self.publicKey.userIds.length === 1
  if (keySame && config.name === newName && (config.email ?? '') === newEmail) {
    return { changed: false, fingerprint: self.fingerprint, name: newName, email: newEmail, before }
  }
  if (!keySame) {
    const id = await renameIdentity({ key: self.secretKey!, name: newName, email: newEmail || undefined, passphrase, date })
    if (id.fingerprint !== self.fingerprint)
      throw new PeerFeedError('RENAME_FAILED', 'renaming changed the fingerprint; nothing was written')
    await writeFileAtomic(l.selfSecretKey, id.secretArmored, { mode: 0o600 })
    await writeFileAtomic(l.selfPublicKey, id.publicArmored)
  }
  await saveConfig(l, { name: newName, email: newEmail || undefined })
  return { changed: true, fingerprint: self.fingerprint, name: newName, email: newEmail, before }
}

/** Reads a public key file, with the file named in every error. */
export async function readKeyFile(l: Layout, file: string, date?: Date): Promise<PublicKey> {
  let data: string
  try {
    data = await fs.readFile(file, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new PeerFeedError(
      code === 'ENOENT' ? 'NO_KEY_FILE' : 'KEY_UNREADABLE',
      code === 'ENOENT' ? `${rel(l, file)} does not exist` : `cannot read ${rel(l, file)}: ${(cause as Error).message}`,
      { cause, file: rel(l, file) },
    )
  }
  // check, build and the server read the same key files several times: parse each content once per minute
  const key = `${data}\0${rel(l, file)}\0${Math.floor((date ?? new Date()).getTime() / 60_000)}`
  let hit = parsed.get(key)
  if (!hit) {
    if (parsed.size > 2000) parsed.clear()
    hit = readPublicKey(data, { source: rel(l, file), date, factsFile: keyFactsFile(l) })
    parsed.set(key, hit)
    hit.catch(() => parsed.delete(key))
  }
  return hit
}

const parsed = new Map<string, Promise<PublicKey>>()

/** Where what checking each key file found is kept between runs (src/crypto/key-facts.ts). */
export const keyFactsFile = (l: Layout) => path.join(l.state, 'cache', 'key-facts.json')

/**
 * The owner's keys and names. The secret key is loaded when it is unlocked or a passphrase is given;
 * with `requireSecret` a missing or locked secret key is an error.
 */
export async function loadSelf(
  l: Layout,
  { passphrase, requireSecret = false }: { passphrase?: string; requireSecret?: boolean } = {},
): Promise<Self> {
  let publicKey: PublicKey
  try {
    publicKey = await readKeyFile(l, l.selfPublicKey)
  } catch (e) {
    if ((e as PeerFeedError).code === 'NO_KEY_FILE') {
      throw new PeerFeedError(
        'NO_IDENTITY',
        `no identity in ${l.root}: ${rel(l, l.selfPublicKey)} is missing. Run \`peerfeed init\` first (or pass --root).`,
      )
    }
    throw e
  }
  let secretKey: SecretKey | undefined
  let armored: string | undefined
  try {
    armored = await fs.readFile(l.selfSecretKey, 'utf8')
  } catch (e) {
    if (requireSecret) {
      throw new PeerFeedError('NO_SECRET_KEY', `the secret key ${rel(l, l.selfSecretKey)} is missing; restore it from your backup.`, {
        cause: e,
        file: rel(l, l.selfSecretKey),
      })
    }
  }
  if (armored !== undefined) {
    try {
      secretKey = await readSecretKey(armored, { passphrase, source: rel(l, l.selfSecretKey) })
    } catch (e) {
      if (requireSecret || (e as PeerFeedError).code !== 'PASSPHRASE_NEEDED') throw e
    }
    if (secretKey && secretKey.fingerprint !== publicKey.fingerprint) {
      throw new PeerFeedError(
        'KEY_MISMATCH',
        `${rel(l, l.selfSecretKey)} (${secretKey.fingerprint}) does not belong to ${rel(l, l.selfPublicKey)} (${publicKey.fingerprint}); restore the matching pair.`,
      )
    }
  }
  const config = await loadConfig(l)
  return {
    publicKey,
    secretKey,
    fingerprint: publicKey.fingerprint,
    name: config.name ?? publicKey.name,
    email: config.email ?? publicKey.email,
  }
}

/** The owner's fingerprint, or undefined when the feed has no identity yet. */
export async function selfFingerprint(l: Layout): Promise<string | undefined> {
  if (!(await exists(l.selfPublicKey))) return undefined
  return (await readKeyFile(l, l.selfPublicKey)).fingerprint
}
