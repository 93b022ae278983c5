// Decrypts and verifies an updates request: in this thread, or in a small pool of worker threads (decrypt-worker.ts).
import { decryptAndVerify, type PublicKey, type SecretKey } from '../crypto/index.ts'

export interface Verified { text: string; signer: string }

export interface Decryptor {
  /** Decrypts with my key and requires a signature by one of `signers` (throws the crypto facade's typed errors). */
  open(armored: string, signers: readonly PublicKey[], now: number): Promise<Verified>
  /** Requests waiting or running. */
  pending(): number
  close(): Promise<void>
}

export function inThreadDecryptor(key: SecretKey): Decryptor {
  let n = 0
  return {
    async open(message, signers, now) {
      n++
      try {
        const d = await decryptAndVerify({ message, key, signers, date: new Date(now) })
        return { text: d.text(), signer: d.signer.fingerprint }
      } finally {
        n--
      }
    },
    pending: () => n,
    close: async () => {},
  }
}
