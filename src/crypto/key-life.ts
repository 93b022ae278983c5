// A key's life after its birth: revocation certificates, applying them, merging a key's newer copy, and the
// rotation statement that binds a new key to the old one (signed by both). See docs/devices.md.
import * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { publicInner, readPublicKey, secretInner, wrapPublic, type PublicKey, type SecretKey } from './keys.ts'
import { signDetached, verifyDetached } from './signatures.ts'

/** A revocation certificate for my key (the form `generateKey` makes and gpg imports), made now. */
export async function makeRevocation({
  key,
  reason = 'key retired',
  date = new Date(),
}: {
  key: SecretKey
  reason?: string
  date?: Date
}): Promise<string> {
  const { publicKey } = await openpgp.revokeKey({ key: secretInner(key), reasonForRevocation: { string: reason }, date, format: 'object' })
  // the certificate is the revocation signature alone, armored as a public key block (as gpg and openpgp write it)
  const sig = publicKey.revocationSignatures[publicKey.revocationSignatures.length - 1]
  const list = new openpgp.PacketList()
  list.push(sig)
  return openpgp.armor(openpgp.enums.armor.publicKey, list.write(), undefined, undefined, 'This is a revocation certificate')
}

/** My public key with the certificate applied: what `key revoke` publishes. Refuses a certificate for another key. */
export async function applyRevocation({
  key,
  certificate,
  date = new Date(),
}: {
  key: PublicKey
  certificate: string
  date?: Date
}): Promise<PublicKey> {
  let revoked: openpgp.PublicKey
  try {
    revoked = await openpgp
      .revokeKey({ key: publicInner(key), revocationCertificate: certificate, date, format: 'object' })
      .then((r) => r.publicKey)
  } catch (cause) {
    throw new PeerFeedError(
      'BAD_REVOCATION',
      `the revocation certificate does not revoke key ${key.fingerprint} (${(cause as Error).message}).`,
      { cause },
    )
  }
  const out = await wrapPublic(revoked, date)
  if (!out.revoked) throw new PeerFeedError('BAD_REVOCATION', `the revocation certificate does not revoke key ${key.fingerprint}.`)
  return out
}

/**
 * `stored` updated with what `fetched` adds (a revocation, new self-signatures), when both are the same key;
 * openpgp keeps only signatures that verify against the primary key.
 */
export async function mergeKey({
  stored,
  fetched,
  date = new Date(),
}: {
  stored: PublicKey
  fetched: PublicKey
  date?: Date
}): Promise<PublicKey> {
  if (stored.fingerprint !== fetched.fingerprint)
    throw new PeerFeedError('KEY_MISMATCH', `cannot merge key ${fetched.fingerprint} into ${stored.fingerprint}.`)
  const merged = await publicInner(stored).update(publicInner(fetched), date)
  return wrapPublic(merged as openpgp.PublicKey, date)
}

/** A rotation statement as published (`key-rotation.json`): the statement's exact text and both signatures. */
export interface RotationStatement {
  v: 1
  /** JSON text of {v, type: 'peerfeed-key-rotation', old, new, date, key: the new public key, armored} */
  statement: string
  /** armored detached signatures over `statement`: by the old key and by the new one */
  signatures: { old: string; new: string }
}

interface StatementBody {
  v: 1
  type: 'peerfeed-key-rotation'
  old: string
  new: string
  date: string
  key: string
}

/** Binds `next` to `prev`: both sign the same statement. */
export async function signRotation({
  prev,
  next,
  date = new Date(),
}: {
  prev: SecretKey
  next: SecretKey
  date?: Date
}): Promise<RotationStatement> {
  const body: StatementBody = {
    v: 1,
    type: 'peerfeed-key-rotation',
    old: prev.fingerprint,
    new: next.fingerprint,
    date: date.toISOString(),
    key: next.publicKey.armored,
  }
  const statement = JSON.stringify(body)
  return {
    v: 1,
    statement,
    signatures: {
      old: await signDetached({ data: statement, signer: prev, date }),
      new: await signDetached({ data: statement, signer: next, date }),
    },
  }
}

/**
 * The new key a statement hands `from` on to, after checking that `from` signed it and the new key signed it too.
 * Throws ROTATION_NOT_SIGNED (with a message for a person) for anything else.
 */
export async function verifyRotation({
  rotation,
  from,
  date = new Date(),
}: {
  rotation: unknown
  from: PublicKey
  date?: Date
}): Promise<PublicKey> {
  const refuse = (why: string, cause?: unknown) => new PeerFeedError('ROTATION_NOT_SIGNED', why, { cause })
  const r = rotation as Partial<RotationStatement> | undefined
  if (r?.v !== 1 || typeof r.statement !== 'string' || typeof r.signatures?.old !== 'string' || typeof r.signatures?.new !== 'string') {
    throw refuse('the key rotation is not a PeerFeed rotation statement')
  }
  let body: StatementBody
  try {
    body = JSON.parse(r.statement) as StatementBody
  } catch (cause) {
    throw refuse('the key rotation statement is not JSON', cause)
  }
  if (body?.type !== 'peerfeed-key-rotation' || body.old !== from.fingerprint || typeof body.key !== 'string') {
    throw refuse(`the key rotation does not start from key ${from.fingerprint}`)
  }
  try {
    await verifyDetached({ data: r.statement, signature: r.signatures.old, signers: [from], date })
  } catch (cause) {
    throw refuse(`the new key ${String(body.new).slice(0, 40)} was not signed by the key you know (${from.fingerprint})`, cause)
  }
  const next = await readPublicKey(body.key, { source: 'the key rotation', date })
  if (next.fingerprint !== body.new || next.fingerprint === from.fingerprint)
    throw refuse('the key rotation names another key than the one it carries')
  try {
    await verifyDetached({ data: r.statement, signature: r.signatures.new, signers: [next], date })
  } catch (cause) {
    throw refuse(`the new key ${next.fingerprint} did not sign the rotation itself`, cause)
  }
  return next
}

/** My secret key, armored and protected by `passphrase` (for another device of mine). */
export async function protectSecretKey({ key, passphrase }: { key: SecretKey; passphrase: string }): Promise<string> {
  if (!passphrase) throw new PeerFeedError('PASSPHRASE_REQUIRED', 'a passphrase is required to protect a secret key')
  const locked = await openpgp.encryptKey({ privateKey: secretInner(key), passphrase })
  return locked.armor()
}
