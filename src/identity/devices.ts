// Another device for the same feed: `device add` exports the secret key under a passphrase (a file, and a QR code
// when it fits, else a pairing link: pairing-link.ts), `device join FILE|URL` takes it on a fresh `git clone` of the
// feed. See docs/devices.md.
import fs from 'node:fs/promises'
import path from 'node:path'
import { protectSecretKey, readSecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { formatFingerprint } from './names.ts'
import { fetchPairingLink, isLink } from './pairing-link.ts'
import { loadSelf, readKeyFile } from './self.ts'

/** Largest export drawn as a QR code: version 40 at level L holds 2,953 bytes; a bigger code is hard to scan anyway. */
export const QR_MAX_BYTES = 2900
export const DEFAULT_EXPORT = 'peerfeed-device.secret.asc'

const NEED_PASSPHRASE =
  'an export of your secret key must be protected by a passphrase: give one with --passphrase-file FILE, the PEERFEED_PASSPHRASE environment variable, or type it when asked on a terminal'

export interface Exported {
  file: string
  bytes: number
  armored: string
  fingerprint: string
}

/**
 * Writes my secret key, protected by `passphrase`, to `out` (never over an existing file, mode 0600). When my key
 * is itself protected, the same passphrase must unlock it.
 */
export async function exportForDevice(l: Layout, { out, passphrase }: { out: string; passphrase?: string }): Promise<Exported> {
  if (!passphrase) throw new PeerFeedError('PASSPHRASE_REQUIRED', NEED_PASSPHRASE)
  const self = await loadSelf(l, { passphrase, requireSecret: true })
  const armored = await protectSecretKey({ key: self.secretKey!, passphrase })
  try {
    await writeFileAtomic(out, armored, { mode: 0o600, exclusive: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new PeerFeedError('EXISTS', `${out} already exists; remove it or give another file with --out FILE.`)
    throw e
  }
  return { file: out, bytes: Buffer.byteLength(armored), armored, fingerprint: self.fingerprint }
}

export interface Joined {
  fingerprint: string
  secretFile: string
}

/**
 * Takes an export on this device: the feed must be a clone (keys/self.asc present) without a secret key yet, the
 * passphrase must open the export, and the key must be the feed's. The key is stored as exported, protected by the
 * same passphrase, so this device asks for it the way the other one does. `file` may be a pairing link (http://…):
 * it is fetched only once everything else is in place, since it works once.
 */
export async function joinDevice(l: Layout, { file, passphrase }: { file: string; passphrase?: string }): Promise<Joined> {
  if (!(await exists(l.selfPublicKey))) {
    throw new PeerFeedError(
      'NO_IDENTITY',
      `${rel(l, l.selfPublicKey)} is missing: run device join inside a clone of your feed (git clone URL; cd into it), or pass --root.`,
    )
  }
  const pub = await readKeyFile(l, l.selfPublicKey)
  if (await exists(l.selfSecretKey)) {
    const have = await loadSelf(l, { passphrase }).catch(() => undefined)
    const same = have?.secretKey?.fingerprint === pub.fingerprint ? ' (the same key: this device has already joined)' : ''
    throw new PeerFeedError('SECRET_EXISTS', `${rel(l, l.selfSecretKey)} already exists${same}; refusing to replace a secret key.`)
  }
  const link = isLink(file)
  if (!passphrase)
    throw new PeerFeedError(
      'PASSPHRASE_REQUIRED',
      `${link ? 'the export at the link' : file} is protected by the passphrase chosen at \`peerfeed device add\`: give it with --passphrase-file FILE, PEERFEED_PASSPHRASE, or type it when asked on a terminal`,
    )
  let armored: string
  if (link) armored = await fetchPairingLink(file)
  else {
    try {
      armored = await fs.readFile(file, 'utf8')
    } catch (cause) {
      throw new PeerFeedError('NO_FILE', `cannot read ${file}: ${(cause as Error).message}`, { cause })
    }
  }
  const key = await readSecretKey(armored, { passphrase, source: link ? 'the export at the link' : file }).catch((e) => {
    if (!link || !(e instanceof PeerFeedError)) throw e
    throw new PeerFeedError(
      e.code,
      `${e.message.replace(/[.\s]*$/, '')}. The link has been used up: run \`peerfeed device add --link\` again on the other device.`,
      { cause: e },
    )
  })
  if (key.fingerprint !== pub.fingerprint) {
    throw new PeerFeedError(
      'KEY_MISMATCH',
      `${link ? 'the export at the link' : file} holds key ${formatFingerprint(key.fingerprint)}, but this feed's key (${rel(l, l.selfPublicKey)}) is ${formatFingerprint(pub.fingerprint)}: export from a device of this feed, or clone the feed this key belongs to.`,
    )
  }
  await fs.mkdir(l.state, { recursive: true, mode: 0o700 })
  if (!(await exists(path.join(l.state, '.gitignore'))))
    await writeFileAtomic(path.join(l.state, '.gitignore'), '# Local state: never commit or publish.\n*\n')
  await writeFileAtomic(l.selfSecretKey, armored, { mode: 0o600, exclusive: true })
  return { fingerprint: key.fingerprint, secretFile: l.selfSecretKey }
}
