// Real OpenPGP signatures for mDNS announcements: the owner signs compactly (base64 in TXT), a listener checks.
import { signDetached, verifyDetached, type PublicKey, type SecretKey } from '../crypto/index.ts'
import type { LanAnnouncement, SignatureStatus } from './mdns-record.ts'

/** The `sign` advertise() wants: a binary detached signature of the payload, base64 (~160 chars for Ed25519). */
export const announcementSigner =
  (key: SecretKey, now: () => number = Date.now) =>
  async (payload: string): Promise<string> =>
    Buffer.from(await signDetached({ data: payload, signer: key, format: 'binary', date: new Date(now()) })).toString('base64')

/** 'valid' when the announcement is for `key` and its TXT `sig` is `key`'s signature of the payload, else 'invalid'. */
export async function checkAnnouncement(a: LanAnnouncement, key: PublicKey): Promise<SignatureStatus> {
  if (a.fingerprint !== key.fingerprint || !a.sig) return 'invalid'
  try {
    await verifyDetached({ data: a.payload, signature: Buffer.from(a.sig, 'base64'), signers: [key] })
    return 'valid'
  } catch {
    return 'invalid'
  }
}
