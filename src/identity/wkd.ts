// Web Key Directory export: lets mail clients and `gpg --locate-keys` find the owner's key from the feed's domain.
import crypto from 'node:crypto'
import path from 'node:path'
import type { PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769'

/** z-base-32 (RFC 6189 alphabet), most significant bit first, no padding. */
export function zbase32(bytes: Uint8Array): string {
  let out = ''
  let acc = 0
  let bits = 0
  for (const b of bytes) {
    acc = (acc << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ZBASE32[(acc >>> (bits - 5)) & 31]
      bits -= 5
    }
    acc &= (1 << bits) - 1
  }
  if (bits > 0) out += ZBASE32[(acc << (5 - bits)) & 31]
  return out
}

/** The WKD file name for an address's local part: z-base-32(SHA-1(lower-case local part)), 32 characters. */
export function wkdLocalPartHash(local: string): string {
  // The draft lower-cases ASCII only, so non-ASCII letters keep their case.
  const lowered = local.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return zbase32(crypto.createHash('sha1').update(lowered, 'utf8').digest())
}

/**
 * Writes the direct-method WKD files under outDir: .well-known/openpgpkey/hu/<hash> (binary key)
 * and an empty .well-known/openpgpkey/policy. Returns the paths written, relative to outDir.
 */
export async function writeWkd(outDir: string, email: string, publicKey: PublicKey): Promise<string[]> {
  const at = email.lastIndexOf('@')
  if (at <= 0 || at === email.length - 1)
    throw new PeerFeedError(
      'BAD_EMAIL',
      `"${email}" is not an email address; set \`email\` in peerfeed.yaml to publish a Web Key Directory entry.`,
    )
  const base = path.join(outDir, '.well-known', 'openpgpkey')
  const hu = path.join('hu', wkdLocalPartHash(email.slice(0, at)))
  await writeFileAtomic(path.join(base, hu), publicKey.bytes)
  await writeFileAtomic(path.join(base, 'policy'), '')
  return [`.well-known/openpgpkey/${hu.split(path.sep).join('/')}`, '.well-known/openpgpkey/policy']
}
