// Opens an updates request: decrypt (compressed data refused), verify, then bound and parse the plaintext. In this
// thread, or in a small pool of worker threads with memory and time limits (decrypt-pool.ts, decrypt-worker.ts).
import { dearmorMessage, decryptAndVerify, type Decrypted, type PublicKey, type SecretKey } from '../crypto/index.ts'
import type { UpdatesRequest } from '../protocol/wire.ts'
import type { OwnKeys } from './own-keys.ts'
import { parseUpdatesRequest } from './updates-request.ts'

/** The signer is known; the request is either parsed or refused (the caller checks blocking first). */
export interface Opened {
  signer: string
  request?: UpdatesRequest
  refusal?: { code: string; message: string }
}

export interface Decryptor {
  /** Decrypts with one of my keys and requires a signature by one of `signers` (throws the crypto facade's typed errors). */
  /** `keys`: the owner's keys the caller already holds (a worker keeps its own copy). */
  open(
    armored: string,
    signers: readonly PublicKey[],
    now: number,
    opts?: { friend?: boolean; keys?: readonly SecretKey[] },
  ): Promise<Opened>
  /** Requests waiting or running. */
  pending(): number
  close(): Promise<void>
}

/**
 * The work itself, the same in a worker or in this thread. `keys` are the owner's, the current one first: after
 * `key rotate` a friend who has not yet seen the new key still encrypts to an earlier one (docs/devices.md).
 */
export async function openRequest(
  message: string,
  keys: readonly SecretKey[],
  signers: readonly PublicKey[],
  now: number,
): Promise<Opened> {
  // A request is a few hundred bytes of JSON: nothing to gain from compression, and inflating is work before
  // anyone is known. Refused outright (docs/protocol.md).
  // openpgp.js reads the packets straight from bytes: its own armor decoding costs about a tenth of the request
  const bytes = dearmorMessage(message)
  let d: Decrypted | undefined
  for (let i = 0; !d; i++) {
    try {
      d = await decryptAndVerify({ message: bytes, key: keys[i], signers, date: new Date(now), inflation: { compressed: 'refuse' } })
    } catch (e) {
      // only "not for this key" moves on to the next one; anything else is this request's answer
      if ((e as { code?: string }).code !== 'NOT_FOR_ME' || i === keys.length - 1) throw e
    }
  }
  const signer = d.signer.fingerprint
  try {
    return {
      signer,
      request: parseUpdatesRequest(
        d.text(),
        now,
        keys[0].fingerprint,
        keys.slice(1).map((k) => k.fingerprint),
      ),
    }
  } catch (e) {
    return { signer, refusal: { code: (e as { code?: string }).code ?? 'BAD_JSON', message: (e as Error).message } }
  }
}

export function inThreadDecryptor(keys: () => Promise<OwnKeys>): Decryptor {
  let n = 0
  return {
    async open(message, signers, now, opts) {
      n++
      try {
        return await openRequest(message, opts?.keys ?? (await keys()).all, signers, now)
      } finally {
        n--
      }
    },
    pending: () => n,
    close: async () => {},
  }
}
