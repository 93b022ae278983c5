// X25519 between my encryption subkey and a friend's, through HKDF: 32 bytes only the two of us can compute.
import crypto from 'node:crypto'
import { PeerFeedError } from '../errors.ts'
import { publicInner, secretInner, type PublicKey, type SecretKey } from './keys.ts'

// OID 1.3.6.1.4.1.3029.1.5.1 (Curve25519 for ECDH, legacy encoding), as stored in key packets.
const CV25519_OID = '2b060104019755010501'
// Fixed DER prefixes for raw X25519 keys (RFC 8410), so node:crypto can import the 32 raw bytes.
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

/** Context string mixed into the HKDF salt; bump the version if the derivation ever changes. */
export const SHARED_SECRET_LABEL = 'peerfeed shared secret v1'

interface EcdhParams {
  oid?: { toHex?: () => string }
  Q?: Uint8Array
}

function cv25519Packet(key: { getSubkeys(): { keyPacket: unknown; getAlgorithmInfo(): { algorithm: string } }[] }, who: string) {
  for (const sub of key.getSubkeys()) {
    if (sub.getAlgorithmInfo().algorithm !== 'ecdh') continue
    const packet = sub.keyPacket as { publicParams: EcdhParams; privateParams?: { d?: Uint8Array } }
    if (packet.publicParams.oid?.toHex?.() === CV25519_OID) return packet
  }
  throw new PeerFeedError('NO_X25519_SUBKEY', `${who} has no Curve25519 encryption subkey; a shared secret needs one on both sides.`)
}

/** True when both keys have a Curve25519 encryption subkey, so `sharedSecret` can be computed between them. */
export function canShareSecret(mine: SecretKey | PublicKey, theirs: PublicKey): boolean {
  const inner = (k: SecretKey | PublicKey) => ('publicKey' in k ? secretInner(k as SecretKey) : publicInner(k as PublicKey))
  try {
    cv25519Packet(inner(mine), '')
    cv25519Packet(inner(theirs), '')
    return true
  } catch {
    return false
  }
}

/**
 * 32 bytes only the holder of `mine` can compute: HKDF-SHA256 over the primary key's secret material, with `info`.
 * Stable for as long as the key is; used where only the owner needs the value (names handed to a friend in a box).
 */
export function ownSecret({ mine, info }: { mine: SecretKey; info: string }): Buffer {
  const params = (secretInner(mine).keyPacket as unknown as { privateParams?: Record<string, Uint8Array> }).privateParams
  if (!params) throw new PeerFeedError('SECRET_LOCKED', 'my secret key is not available (locked or missing).')
  const ikm = Buffer.concat(
    Object.keys(params)
      .sort()
      .map((k) => Buffer.from(params[k])),
  )
  const salt = `${SHARED_SECRET_LABEL}\nown\n${mine.fingerprint}`
  return Buffer.from(crypto.hkdfSync('sha256', ikm, Buffer.from(salt, 'utf8'), Buffer.from(info, 'utf8'), 32))
}

/** HKDF-SHA256(ikm = X25519(mine, theirs), salt = label + both fingerprints sorted, info) → 32 bytes. */
export function sharedSecret({ mine, theirs, info }: { mine: SecretKey; theirs: PublicKey; info: string }): Buffer {
  const my = cv25519Packet(secretInner(mine), `my key ${mine.fingerprint}`)
  const their = cv25519Packet(publicInner(theirs), `key ${theirs.fingerprint}`)
  const d = my.privateParams?.d
  const q = their.publicParams.Q
  if (!d || d.length !== 32) throw new PeerFeedError('SECRET_LOCKED', 'my secret encryption key is not available (locked or missing).')
  if (!q || q.length !== 33 || q[0] !== 0x40)
    throw new PeerFeedError('BAD_KEY', `key ${theirs.fingerprint} has a malformed Curve25519 public value.`)
  // Legacy cv25519 packets keep the scalar big-endian and prefix the point with 0x40 (native encoding).
  return x25519Secret({ scalar: Buffer.from(d).reverse(), point: q.subarray(1), mine: mine.fingerprint, theirs: theirs.fingerprint, info })
}

/**
 * The same from raw values, as docs/page-names.md specifies it and its test vectors check: `scalar` is my
 * X25519 secret (32 bytes, little-endian, RFC 7748), `point` their public u-coordinate (32 bytes).
 */
export function x25519Secret({
  scalar,
  point,
  mine,
  theirs,
  info,
}: {
  scalar: Uint8Array
  point: Uint8Array
  mine: string
  theirs: string
  info: string
}): Buffer {
  const privateKey = privateKeyOf(scalar)
  // a raw public value through JWK: OpenSSL 3's DER decoders cost milliseconds a key, and a build meets every friend's
  const publicKey = crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(point).toString('base64url') },
    format: 'jwk',
  })
  const ikm = crypto.diffieHellman({ privateKey, publicKey })
  if (ikm.every((b) => b === 0)) throw new PeerFeedError('BAD_KEY', `key ${theirs} gives a degenerate shared secret; refusing it.`)
  const salt = `${SHARED_SECRET_LABEL}\n${[mine, theirs].sort().join('\n')}`
  return Buffer.from(crypto.hkdfSync('sha256', ikm, Buffer.from(salt, 'utf8'), Buffer.from(info, 'utf8'), 32))
}

// the owner's scalar meets every friend's point in one build: imported once (the last one only, never written anywhere)
let lastPrivate: { scalar: Buffer; key: crypto.KeyObject } | undefined
function privateKeyOf(scalar: Uint8Array): crypto.KeyObject {
  if (lastPrivate?.scalar.equals(scalar)) return lastPrivate.key
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' })
  lastPrivate = { scalar: Buffer.from(scalar), key }
  return key
}

/** The X25519 public u-coordinate (32 bytes) of a raw little-endian secret scalar. */
export function x25519Public(scalar: Uint8Array): Buffer {
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' })
  return Buffer.from(crypto.createPublicKey(key).export({ format: 'der', type: 'spki' })).subarray(SPKI_PREFIX.length)
}
