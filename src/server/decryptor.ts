// Opens an updates request: decrypt (compressed data refused), verify, then bound and parse the plaintext. In this
// thread, or in a small pool of worker threads with memory and time limits (decrypt-pool.ts, decrypt-worker.ts).
import { decryptAndVerify, type PublicKey, type SecretKey } from '../crypto/index.ts'
import type { UpdatesRequest } from '../protocol/wire.ts'
import { parseUpdatesRequest } from './updates-request.ts'

/** The signer is known; the request is either parsed or refused (the caller checks blocking first). */
export interface Opened {
  signer: string
  request?: UpdatesRequest
  refusal?: { code: string; message: string }
}

export interface Decryptor {
  /** Decrypts with my key and requires a signature by one of `signers` (throws the crypto facade's typed errors). */
  open(armored: string, signers: readonly PublicKey[], now: number): Promise<Opened>
  /** Requests waiting or running. */
  pending(): number
  close(): Promise<void>
}

/** The work itself, the same in a worker or in this thread. */
export async function openRequest(message: string, key: SecretKey, signers: readonly PublicKey[], now: number): Promise<Opened> {
  // A request is a few hundred bytes of JSON: nothing to gain from compression, and inflating is work before
  // anyone is known. Refused outright (docs/protocol.md).
  const d = await decryptAndVerify({ message, key, signers, date: new Date(now), inflation: { compressed: 'refuse' } })
  const signer = d.signer.fingerprint
  try {
    return { signer, request: parseUpdatesRequest(d.text(), now, key.fingerprint) }
  } catch (e) {
    return { signer, refusal: { code: (e as { code?: string }).code ?? 'BAD_JSON', message: (e as Error).message } }
  }
}

export function inThreadDecryptor(key: SecretKey): Decryptor {
  let n = 0
  return {
    async open(message, signers, now) {
      n++
      try {
        return await openRequest(message, key, signers, now)
      } finally {
        n--
      }
    },
    pending: () => n,
    close: async () => {},
  }
}
