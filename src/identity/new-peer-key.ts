// A friend's key before it is saved: read from a feed URL, a key file or pasted text, checked as `peer add` checks
// it, and shown (name, fingerprint) so the person can compare and confirm. `peer add` and the app share this.
import { readPublicKey, type PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { loadBlocked } from './blocked.ts'
import { readKeySource, type Fetch } from './key-source.ts'
import { formatFingerprint, nameProblem } from './names.ts'
import { readKeyFile } from './self.ts'

/** Where a key comes from: a file path or URL (as `peer add` takes), or armored text pasted by a person. */
export type KeyInput = string | { armored: string }

export interface KeyPreview {
  key: PublicKey
  fingerprint: string
  /** `ABCD 1234 …`, to compare aloud */
  formatted: string
  /** the name and email in the key's first user ID */
  name?: string
  email?: string
  userIds: string[]
  /** where the key was read from: a URL, a file, or "pasted key" */
  origin: string
  /** a free petname to suggest: from the key's name, else its email's local part */
  suggestedName?: string
  /** on the block list: it can be saved but receives nothing until unblocked */
  blocked: boolean
}

const MAX_PASTED = 1 << 20

/** Reads and checks a key without saving anything. Throws the same refusals `peer add` gives. */
export async function previewPeerKey(
  l: Layout,
  input: KeyInput,
  { fetch, cwd, date = new Date(), taken }: { fetch?: Fetch; cwd?: string; date?: Date; taken?: ReadonlySet<string> } = {},
): Promise<KeyPreview> {
  let data: string | Uint8Array
  let origin: string
  if (typeof input === 'string') ({ data, origin } = await readKeySource(input, { fetch, cwd }))
  else {
    if (typeof input.armored !== 'string' || !input.armored.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')) {
      throw new PeerFeedError(
        'NOT_A_KEY',
        'the pasted text is not a public key: it must contain "-----BEGIN PGP PUBLIC KEY BLOCK-----" (ask your friend for the output of `peerfeed key --armor`).',
      )
    }
    if (input.armored.length > MAX_PASTED) throw new PeerFeedError('NOT_A_KEY', 'the pasted text is far too large to be a public key.')
    data = input.armored
    origin = 'the pasted key'
  }
  const key = await readPublicKey(data, { source: origin, date })
  await refuseUnusable(l, key, origin, date)
  const name = key.name || undefined
  const email = key.email || undefined
  return {
    key,
    fingerprint: key.fingerprint,
    formatted: formatFingerprint(key.fingerprint),
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    userIds: [...key.userIds],
    origin,
    suggestedName: suggestName([name, email?.split('@')[0]], taken ?? new Set()),
    blocked: (await loadBlocked(l)).has(key.fingerprint),
  }
}

/** The checks `peer add` makes on a key: not mine, not revoked or expired, can encrypt, not already a friend. */
export async function refuseUnusable(l: Layout, key: PublicKey, origin: string, date = new Date()): Promise<void> {
  const { scanPeers } = await import('./peers.ts')
  const { rel } = await import('../paths.ts')
  const self = await readKeyFile(l, l.selfPublicKey).catch(() => undefined)
  const fp = formatFingerprint(key.fingerprint)
  if (self && self.fingerprint === key.fingerprint) {
    throw new PeerFeedError('OWN_KEY', `${origin} is your own key (${fp}); add your friends' keys, not yours.`)
  }
  if (key.revoked) {
    throw new PeerFeedError(
      'KEY_REVOKED',
      `the key from ${origin} (${fp}) has been revoked by its owner; ask your friend for their new key.`,
    )
  }
  if (key.expired) {
    throw new PeerFeedError(
      'KEY_EXPIRED',
      `the key from ${origin} (${fp}) has expired; ask your friend to extend it (\`gpg --quick-set-expire\`) and send it again.`,
    )
  }
  if (!key.hasEncryptionKey) {
    throw new PeerFeedError(
      'NO_ENCRYPTION_KEY',
      `the key from ${origin} (${fp}) has no usable encryption subkey${key.encryptionProblem ? ` (${key.encryptionProblem})` : ''}, so nothing could be encrypted to it. PeerFeed encrypts to RSA (2048 bits or more), Curve25519 and NIST P-256/P-384/P-521 subkeys: ask your friend to add one (\`gpg --quick-add-key FPR cv25519 encr\`).`,
    )
  }
  const known = (await scanPeers(l, date)).find((p) => p.key?.fingerprint === key.fingerprint)
  if (known) {
    throw new PeerFeedError(
      'ALREADY_KNOWN',
      `this key (${fp}) is already your friend "${known.name}" (${rel(l, known.file)}); one petname per key.`,
    )
  }
}

/** A petname from words like "Alice Smith" → "alice-smith", made unique against `taken`. */
export function suggestName(words: (string | undefined)[], taken: ReadonlySet<string>): string | undefined {
  for (const w of words) {
    if (!w) continue
    const base = w
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '')
      .slice(0, 40)
    if (!base || nameProblem(base)) continue
    for (let i = 1; i < 100; i++) {
      const n = i === 1 ? base : `${base}-${i}`
      if (!taken.has(n)) return n
    }
  }
  return undefined
}
