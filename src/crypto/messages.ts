// One OpenPGP message per page: encrypted once for every recipient, signed by the owner; and its reverse.
import * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { publicInner, secretInner, type PublicKey, type SecretKey } from './keys.ts'
import { firstSessionKey } from './session-key.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

// Always binary literal data: text mode would rewrite line endings, and pages must round-trip byte for byte.
export const toBytes = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : data)

/**
 * Encrypts `data` to every key in `to` (one session key, wrapped per recipient) and signs it. Armored.
 * Recipients are anonymous (wildcard key id 0, GnuPG's --throw-keyids): the message does not say who can read it.
 */
export async function encryptAndSign({
  data,
  to,
  signer,
  date,
}: {
  data: string | Uint8Array
  to: readonly PublicKey[]
  signer: SecretKey
  date?: Date
}): Promise<string> {
  if (to.length === 0) throw new PeerFeedError('NO_RECIPIENTS', 'cannot encrypt to nobody: the audience has no keys.')
  for (const k of to) {
    if (!k.hasEncryptionKey) {
      throw new PeerFeedError(
        'NO_ENCRYPTION_KEY',
        `key ${k.fingerprint} (${k.name || 'no name'}) cannot receive encrypted messages (expired, revoked or no encryption subkey).`,
      )
    }
  }
  const message = await openpgp.createMessage({ binary: toBytes(data) })
  try {
    return await openpgp.encrypt({
      message,
      encryptionKeys: to.map(publicInner),
      signingKeys: secretInner(signer),
      // recipients' key IDs written as zeros: the message does not say whom it is for (docs/page-names.md)
      wildcard: true,
      date,
    })
  } catch (cause) {
    throw new PeerFeedError('ENCRYPT_FAILED', `could not encrypt: ${(cause as Error).message}`, { cause })
  }
}

export interface Decrypted {
  data: Uint8Array
  text(): string
  /** The expected signer whose signature verified. */
  signer: PublicKey
}

async function readAnyMessage(message: string | Uint8Array) {
  try {
    return typeof message === 'string'
      ? await openpgp.readMessage({ armoredMessage: message })
      : await openpgp.readMessage({ binaryMessage: message })
  } catch (cause) {
    throw new PeerFeedError('BAD_MESSAGE', `not a readable OpenPGP message (${(cause as Error).message}).`, { cause })
  }
}

/** The first signature that verifies against one of `signers`; throws BAD_SIGNATURE otherwise. */
export async function firstGoodSignature(
  signatures: { keyID: openpgp.KeyID; verified: Promise<true> }[],
  signers: readonly PublicKey[],
): Promise<PublicKey> {
  const reasons: string[] = []
  for (const sig of signatures) {
    const id = sig.keyID.toHex()
    const who = signers.find((k) => k.hasKeyId(id))
    try {
      await sig.verified
      if (who) return who
      reasons.push(`signed by unknown key ${id}`)
    } catch (e) {
      reasons.push(who ? `signature by ${who.fingerprint} is invalid: ${(e as Error).message}` : `signed by unknown key ${id}`)
    }
  }
  if (signatures.length === 0) reasons.push('the message is not signed')
  throw new PeerFeedError('BAD_SIGNATURE', `signature check failed: ${reasons.join('; ')}. The content was not accepted.`)
}

/** What a decryption may cost: compressed data refused outright, or inflated to at most `maxBytes`. */
export type Inflation = { compressed: 'refuse' } | { compressed: 'allow'; maxBytes: number }

/** A page's plaintext is at most this many bytes, compressed or not (docs/protocol.md). */
export const MAX_PAGE_BYTES = 16 << 20

/**
 * Decrypts with my key and requires a valid signature by one of `signers`, or throws. Decompression happens
 * before any signature is known, so it is always bounded: `inflation` refuses compressed data (COMPRESSED)
 * or caps what it may expand to (TOO_LARGE); the default is the page maximum.
 */
export async function decryptAndVerify({
  message,
  key,
  signers,
  date,
  inflation = { compressed: 'allow', maxBytes: MAX_PAGE_BYTES },
}: {
  message: string | Uint8Array
  key: SecretKey
  signers: readonly PublicKey[]
  date?: Date
  inflation?: Inflation
}): Promise<Decrypted> {
  const msg = await readAnyMessage(message)
  const inner = secretInner(key)
  const mine = new Set(inner.getKeyIDs().map((id) => id.toHex()))
  const recipients = msg.getEncryptionKeyIDs().map((id) => id.toHex())
  // A wildcard recipient (gpg --throw-keyids) could be anyone: let decryption decide.
  if (recipients.length > 0 && !recipients.some((r) => mine.has(r) || /^0+$/.test(r))) {
    throw new PeerFeedError(
      'NOT_FOR_ME',
      `this message is not encrypted to my key ${key.fingerprint} (recipients: ${recipients.join(', ')}).`,
    )
  }
  // One slot at a time, stopping at mine: openpgp alone would try my key on every anonymous slot.
  const sessionKeys = await firstSessionKey(msg, inner, mine, date)
  if (sessionKeys?.length === 0)
    throw new PeerFeedError('NOT_FOR_ME', `this message is not encrypted to my key ${key.fingerprint} (no session key opens with it).`)
  let result
  try {
    result = await openpgp.decrypt({
      message: msg,
      ...(sessionKeys ? { sessionKeys } : { decryptionKeys: inner }),
      verificationKeys: signers.map(publicInner),
      format: 'binary',
      date,
      // 0 stops at the first inflated byte; openpgp's default is no limit at all.
      config: { maxDecompressedMessageSize: inflation.compressed === 'refuse' ? 0 : inflation.maxBytes },
    })
  } catch (cause) {
    const m = (cause as Error).message
    if (/decompressed/i.test(m)) {
      if (inflation.compressed === 'refuse')
        throw new PeerFeedError('COMPRESSED', 'compressed messages are refused here; send it uncompressed (gpg --compress-algo none).', {
          cause,
        })
      throw new PeerFeedError('TOO_LARGE', `the message expands past ${inflation.maxBytes} bytes when decompressed; refusing it.`, {
        cause,
      })
    }
    if (/session key|key data integrity/i.test(m))
      throw new PeerFeedError(
        'NOT_FOR_ME',
        `this message is not encrypted to my key ${key.fingerprint} (no session key opens with it): ${m}`,
        { cause },
      )
    throw new PeerFeedError('BAD_MESSAGE', `the message is damaged or was tampered with: ${m}`, { cause })
  }
  const signer = await firstGoodSignature(result.signatures, signers)
  const data = result.data as Uint8Array
  return { data, text: () => decoder.decode(data), signer }
}
