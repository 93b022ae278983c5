// Detached signatures for public pages: the page stays plain JSON, the signature sits beside it.
import * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { publicInner, secretInner, type PublicKey, type SecretKey } from './keys.ts'
import { firstGoodSignature, toBytes } from './messages.ts'

/** An armored detached signature over the exact bytes of `data`. */
export async function signDetached({ data, signer, date }: { data: string | Uint8Array; signer: SecretKey; date?: Date }): Promise<string> {
  const message = await openpgp.createMessage({ binary: toBytes(data) })
  return openpgp.sign({ message, signingKeys: secretInner(signer), detached: true, date })
}

/** Returns the signer whose signature over `data` verifies; throws BAD_SIGNATURE otherwise. */
export async function verifyDetached({
  data,
  signature,
  signers,
  date,
}: { data: string | Uint8Array; signature: string | Uint8Array; signers: readonly PublicKey[]; date?: Date }): Promise<PublicKey> {
  let sig
  try {
    sig = typeof signature === 'string'
      ? await openpgp.readSignature({ armoredSignature: signature })
      : await openpgp.readSignature({ binarySignature: signature })
  } catch (cause) {
    throw new PeerFeedError('BAD_SIGNATURE', `not a readable OpenPGP signature (${(cause as Error).message}).`, { cause })
  }
  const message = await openpgp.createMessage({ binary: toBytes(data) })
  const result = await openpgp.verify({ message, signature: sig, verificationKeys: signers.map(publicInner), format: 'binary', date })
  return firstGoodSignature(result.signatures, signers)
}
