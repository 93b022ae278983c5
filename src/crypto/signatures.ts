// Detached signatures for public pages (armored, beside the page) and for LAN announcements (compact binary).
import * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { publicInner, secretInner, type PublicKey, type SecretKey } from './keys.ts'
import { firstGoodSignature, toBytes } from './messages.ts'

interface SignOptions {
  data: string | Uint8Array
  signer: SecretKey
  date?: Date
}

/**
 * A detached signature over the exact bytes of `data`: armored by default; `format: 'binary'` gives the
 * compact bytes (~119 for Ed25519) that fit an mDNS TXT entry once base64'd.
 */
export async function signDetached(opts: SignOptions & { format?: 'armored' }): Promise<string>
export async function signDetached(opts: SignOptions & { format: 'binary' }): Promise<Uint8Array>
export async function signDetached({
  data,
  signer,
  date,
  format = 'armored',
}: SignOptions & { format?: 'armored' | 'binary' }): Promise<string | Uint8Array> {
  const message = await openpgp.createMessage({ binary: toBytes(data) })
  if (format === 'armored') return openpgp.sign({ message, signingKeys: secretInner(signer), detached: true, date })
  // The compact form drops openpgp's random salt notation (~70 bytes): it would push the TXT entry past 255 bytes.
  // The salt hardens deterministic EdDSA against fault attacks, a threat that needs the signer's hardware.
  return openpgp.sign({
    message,
    signingKeys: secretInner(signer),
    detached: true,
    date,
    format: 'binary',
    config: { nonDeterministicSignaturesViaNotation: false },
  })
}

/** Returns the signer whose signature over `data` verifies; throws BAD_SIGNATURE otherwise. Armored or binary. */
export async function verifyDetached({
  data,
  signature,
  signers,
  date,
}: {
  data: string | Uint8Array
  signature: string | Uint8Array
  signers: readonly PublicKey[]
  date?: Date
}): Promise<PublicKey> {
  let sig
  try {
    sig =
      typeof signature === 'string'
        ? await openpgp.readSignature({ armoredSignature: signature })
        : await openpgp.readSignature({ binarySignature: signature })
  } catch (cause) {
    throw new PeerFeedError('BAD_SIGNATURE', `not a readable OpenPGP signature (${(cause as Error).message}).`, { cause })
  }
  const message = await openpgp.createMessage({ binary: toBytes(data) })
  const result = await openpgp.verify({ message, signature: sig, verificationKeys: signers.map(publicInner), format: 'binary', date })
  return firstGoodSignature(result.signatures, signers)
}
