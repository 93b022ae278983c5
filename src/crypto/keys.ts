// Opaque key wrappers and key I/O: the only place that turns openpgp key objects into PeerFeed values.
import * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { cachedFacts, factsKey, keepFacts, type PublicFacts } from './key-facts.ts'

const PRIVATE_ARMOR = '-----BEGIN PGP PRIVATE KEY BLOCK-----'

/** What a user ID string tells us: "Name (comment) <email>". */
function splitUserId(uid: string): { name: string; email: string } {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(uid)
  return m ? { name: m[1].trim(), email: m[2].trim() } : { name: uid.trim(), email: '' }
}

// Module-private accessors: other files of src/crypto reach the openpgp object, nothing outside can.
let publicInner: (k: PublicKey) => openpgp.PublicKey
let secretInner: (k: SecretKey) => openpgp.PrivateKey

/** A friend's (or my) public key. Immutable; the openpgp object stays inside src/crypto. */
export class PublicKey {
  readonly #key: openpgp.PublicKey
  readonly #keyIds: ReadonlySet<string>
  #armored?: string
  /** 40 lower-case hex digits (v4). */
  readonly fingerprint: string
  readonly userIds: readonly string[]
  /** From the first user ID; '' when absent. */
  readonly name: string
  readonly email: string
  readonly hasEncryptionKey: boolean
  /** Why nothing can be encrypted to this key, in words, when `hasEncryptionKey` is false for a reason other than expiry or revocation. */
  readonly encryptionProblem?: string
  readonly expired: boolean
  /** When the key (or its encryption subkey) expires, in ms since 1970, if it has such a date still to come. */
  readonly expiresAt?: number
  readonly revoked: boolean

  static {
    publicInner = (k) => k.#key
  }

  constructor(key: openpgp.PublicKey, facts: PublicFacts) {
    this.#key = key
    this.#keyIds = new Set(facts.keyIds)
    this.fingerprint = facts.fingerprint
    this.userIds = Object.freeze([...facts.userIds])
    const first = splitUserId(facts.userIds[0] ?? '')
    this.name = first.name
    this.email = first.email
    this.hasEncryptionKey = facts.hasEncryptionKey
    this.encryptionProblem = facts.encryptionProblem
    this.expired = facts.expired
    if (facts.expiresAt !== undefined) this.expiresAt = facts.expiresAt
    this.revoked = facts.revoked
    Object.freeze(this)
  }

  /** ASCII-armored public key, as written to keys/NAME.asc. */
  get armored(): string {
    return (this.#armored ??= this.#key.armor())
  }

  /** The binary (unarmored) key, as served by WKD. */
  get bytes(): Uint8Array {
    return this.#key.write()
  }

  /** True when a signature or encryption key ID (16 hex) belongs to this key. */
  hasKeyId(keyId: string): boolean {
    return this.#keyIds.has(keyId)
  }

  toString(): string {
    return `PublicKey(${this.fingerprint})`
  }

  toJSON(): { fingerprint: string; userIds: readonly string[] } {
    return { fingerprint: this.fingerprint, userIds: this.userIds }
  }
}

/** My unlocked secret key. Never printed, never serialised by accident. */
export class SecretKey {
  readonly #key: openpgp.PrivateKey
  readonly fingerprint: string
  readonly publicKey: PublicKey

  static {
    secretInner = (k) => k.#key
  }

  constructor(key: openpgp.PrivateKey, publicKey: PublicKey) {
    this.#key = key
    this.publicKey = publicKey
    this.fingerprint = publicKey.fingerprint
    Object.freeze(this)
  }

  toString(): string {
    return `SecretKey(${this.fingerprint})`
  }

  toJSON(): { fingerprint: string } {
    return { fingerprint: this.fingerprint }
  }
}

export { publicInner, secretInner }

async function factsOf(key: openpgp.PublicKey, date: Date): Promise<PublicFacts> {
  const revoked = await key.isRevoked(undefined, undefined, date).catch(() => false)
  let expired = false
  let expiresAt: number | undefined
  try {
    const exp = await key.getExpirationTime()
    expired = exp instanceof Date && exp.getTime() <= date.getTime()
    if (exp instanceof Date && !expired) expiresAt = exp.getTime()
  } catch {
    // No valid self-signature at all: verifyPrimaryKey below reports it as unusable.
  }
  const encryptionProblem =
    revoked || expired
      ? undefined
      : await key.getEncryptionKey(undefined, date).then(
          () => undefined,
          (e: Error) => whyNoEncryption(key, e),
        )
  const hasEncryptionKey = !revoked && !expired && encryptionProblem === undefined
  if (hasEncryptionKey) {
    // the subkey may expire before the key: from then on nothing can be encrypted to it
    const sub = await key.getEncryptionKey(undefined, date).then(
      (k) => k.getExpirationTime(date),
      () => null,
    )
    if (sub instanceof Date && sub.getTime() > date.getTime()) expiresAt = Math.min(expiresAt ?? Infinity, sub.getTime())
  }
  return {
    fingerprint: key.getFingerprint().toLowerCase(),
    userIds: key.getUserIDs(),
    hasEncryptionKey,
    ...(encryptionProblem ? { encryptionProblem } : {}),
    expired,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    revoked,
    keyIds: key.getKeyIDs().map((id) => id.toHex()),
  }
}

/** OpenPGP.js's refusal of a key for encryption, said for a person: what is wrong and what works. */
function whyNoEncryption(key: openpgp.PublicKey, e: Error): string {
  const m = e.message
  const algos = [key, ...key.getSubkeys()].map((k) => k.getAlgorithmInfo() as { algorithm: string; bits?: number; curve?: string })
  if (/RSA keys shorter than/i.test(m))
    return `its RSA key has ${algos.find((a) => a.bits)?.bits ?? 'fewer than 2048'} bits; at least 2048 are needed`
  if (/(dsa|elgamal) keys are considered too weak/i.test(m)) return 'it is a DSA/ElGamal key, which OpenPGP.js refuses as too weak'
  const curve = algos.find((a) => a.curve && !/^(nistP(256|384|521)|(curve|ed|x)25519(Legacy)?|p(256|384|521))$/i.test(a.curve))?.curve
  if (curve) return `its curve ${curve} is not supported here`
  if (/encryption key packet/i.test(m) || !algos.some((a) => /ecdh|rsaEncrypt|elgamal|x25519|x448/.test(a.algorithm)))
    return 'it can only sign'
  return m.split('\n')[0]
}

export async function wrapPublic(key: openpgp.PublicKey, date = new Date()): Promise<PublicKey> {
  return new PublicKey(key, await factsOf(key, date))
}

const where = (source?: string) => (source ? `${source}: ` : '')

/**
 * Reads one armored or binary public key. Refuses secret keys and anything that is not a key. With `factsFile`, what
 * checking the key found is kept there by the key's text and used while it stands (key-facts.ts).
 */
export async function readPublicKey(
  input: string | Uint8Array,
  { source, date = new Date(), factsFile }: { source?: string; date?: Date; factsFile?: string } = {},
): Promise<PublicKey> {
  if (typeof input === 'string' && input.includes(PRIVATE_ARMOR)) throw secretGiven(source)
  let key: openpgp.Key
  try {
    key = typeof input === 'string' ? await openpgp.readKey({ armoredKey: input }) : await openpgp.readKey({ binaryKey: input })
  } catch (cause) {
    throw new PeerFeedError(
      'NOT_A_KEY',
      `${where(source)}this is not an OpenPGP public key (${(cause as Error).message}). Export one with \`gpg --armor --export EMAIL\` or \`peerfeed key --armor\`.`,
      { cause, file: source },
    )
  }
  if (key.isPrivate()) throw secretGiven(source)
  if (!factsFile) return wrapPublic(key, date)
  const k = factsKey(input)
  const kept = cachedFacts(factsFile, k, date)
  if (kept) return new PublicKey(key, kept)
  const facts = await factsOf(key, date)
  keepFacts(factsFile, k, key, date, facts)
  return new PublicKey(key, facts)
}

function secretGiven(source?: string) {
  return new PeerFeedError(
    'SECRET_KEY_GIVEN',
    `${where(source)}this is a SECRET key; it must never be shared. Ask your friend for their PUBLIC key (\`gpg --armor --export EMAIL\` or \`peerfeed key --armor\`), and if this was your own secret key, keep it private.`,
    { file: source },
  )
}

/** Reads and unlocks an armored secret key. */
export async function readSecretKey(
  armored: string,
  { passphrase, source, date = new Date() }: { passphrase?: string; source?: string; date?: Date } = {},
): Promise<SecretKey> {
  let key: openpgp.PrivateKey
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored })
  } catch (cause) {
    throw new PeerFeedError('NOT_A_SECRET_KEY', `${where(source)}this is not an OpenPGP secret key (${(cause as Error).message}).`, {
      cause,
      file: source,
    })
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined || passphrase === '') {
      throw new PeerFeedError(
        'PASSPHRASE_NEEDED',
        `${where(source)}the secret key is protected by a passphrase; give it with --passphrase-file FILE or the PEERFEED_PASSPHRASE environment variable.`,
        { file: source },
      )
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase })
    } catch (cause) {
      throw new PeerFeedError('BAD_PASSPHRASE', `${where(source)}wrong passphrase for the secret key.`, { cause, file: source })
    }
  }
  return new SecretKey(key, await wrapPublic(key.toPublic(), date))
}

export interface GeneratedIdentity {
  publicArmored: string
  secretArmored: string
  fingerprint: string
  /** a revocation certificate for the key: kept offline, published only to revoke it */
  revocationArmored: string
}

/**
 * A new v4 key pair in the form GnuPG 2.2 reads: Ed25519 (legacy EdDSA) primary for signing,
 * X25519 (legacy ECDH) subkey for encryption. Not RFC 9580 `curve25519`, which gpg 2.2 rejects.
 */
export async function generateIdentity({
  name,
  email,
  passphrase,
  date = new Date(),
  expiresIn = 0,
}: {
  name: string
  email?: string
  passphrase?: string
  date?: Date
  expiresIn?: number
}): Promise<GeneratedIdentity> {
  if (!name || !name.trim()) throw new PeerFeedError('NAME_REQUIRED', 'a name is required to create a key (use --name "Your Name").')
  const { privateKey, publicKey, revocationCertificate } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [email ? { name: name.trim(), email: email.trim() } : { name: name.trim() }],
    passphrase: passphrase || undefined,
    keyExpirationTime: expiresIn,
    date,
    format: 'object',
  })
  return {
    publicArmored: publicKey.armor(),
    secretArmored: privateKey.armor(),
    fingerprint: publicKey.getFingerprint().toLowerCase(),
    revocationArmored: revocationCertificate,
  }
}

/** My key with a revocation signature added: publish it so friends stop using the key. */
export async function revokeIdentity({
  key,
  reason = 'key retired',
  date = new Date(),
}: {
  key: SecretKey
  reason?: string
  date?: Date
}): Promise<string> {
  const { publicKey } = await openpgp.revokeKey({
    key: secretInner(key),
    reasonForRevocation: { string: reason },
    date,
    format: 'armored',
  })
  return publicKey
}

/**
 * My key pair with a new user ID (name, email) and fresh self-certifications: same key material, same
 * fingerprint, so friends keep trusting it. The secret key stays protected by `passphrase` when one is given.
 */
export async function renameIdentity({
  key,
  name,
  email,
  passphrase,
  date = new Date(),
}: {
  key: SecretKey
  name: string
  email?: string
  passphrase?: string
  date?: Date
}): Promise<Omit<GeneratedIdentity, 'revocationArmored'>> {
  if (!name || !name.trim()) throw new PeerFeedError('NAME_REQUIRED', 'a name is required (use --name "Your Name").')
  const inner = secretInner(key)
  // keep an expiry the key already has (seconds after the key's creation, as the signature stores it)
  const exp = await inner.getExpirationTime().catch(() => Infinity)
  const keyExpirationTime = exp instanceof Date ? Math.max(1, Math.round((exp.getTime() - inner.getCreationTime().getTime()) / 1000)) : 0
  let reformatted: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey }
  try {
    reformatted = await openpgp.reformatKey({
      privateKey: inner,
      keyExpirationTime,
      userIDs: [email ? { name: name.trim(), email: email.trim() } : { name: name.trim() }],
      passphrase: passphrase || undefined,
      date,
      format: 'object',
    })
  } catch (cause) {
    throw new PeerFeedError('RENAME_FAILED', `could not certify the new name on your key: ${(cause as Error).message}`, { cause })
  }
  return {
    publicArmored: reformatted.publicKey.armor(),
    secretArmored: reformatted.privateKey.armor(),
    fingerprint: reformatted.publicKey.getFingerprint().toLowerCase(),
  }
}
