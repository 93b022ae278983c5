// Opens the common shape of a small message with node:crypto directly, at a tenth of openpgp.js's cost: an X25519
// (cv25519) recipient, SEIPDv1 with AES, a one-pass-signed binary literal, an Ed25519 signature. It decides only what
// it fully understands and answers `undefined` for anything else (other algorithms, v6 packets, text signatures,
// unknown subpackets...), so the caller opens those with openpgp.js. What it checks is what openpgp.js checks:
// the key agreement and key wrap (RFC 6637: all three KDF variants openpgp.js tries), the session key checksum,
// the MDC, the signed hash, the Ed25519 signature, the signature's creation and expiry against `date`, and the
// signing key's validity at signing time (asked of openpgp.js itself, from its cached self-signatures).
import crypto from 'node:crypto'
import type * as openpgp from 'openpgp'
import { PeerFeedError } from '../errors.ts'
import { publicInner, secretInner, type PublicKey, type SecretKey } from './keys.ts'
import type { Decrypted } from './messages.ts'
import { dearmorMessage } from './recipients.ts'

const ALG_ECDH = 18
const ALG_EDDSA_LEGACY = 22
const ALG_ED25519 = 27
const CURVE25519_OID = '2b060104019755010501' // 1.3.6.1.4.1.3029.1.5.1
const AES: Record<number, { cfb: string; wrap: string; size: number }> = {
  7: { cfb: 'aes-128-cfb', wrap: 'id-aes128-wrap', size: 16 },
  8: { cfb: 'aes-192-cfb', wrap: 'id-aes192-wrap', size: 24 },
  9: { cfb: 'aes-256-cfb', wrap: 'id-aes256-wrap', size: 32 },
}
const HASH: Record<number, string> = { 8: 'sha256', 9: 'sha384', 10: 'sha512' }
const WRAP_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex')
const ZERO_IV = Buffer.alloc(16)
const decoder = new TextDecoder('utf-8', { fatal: false })

/** Not a shape this file opens: the caller uses openpgp.js. */
class Unhandled extends Error {}
const unhandled = (why: string): never => {
  throw new Unhandled(why)
}

interface Packet {
  tag: number
  body: Uint8Array
  next: number
}

/** One packet; partial body lengths are joined (gpg streams data packets). */
function readPacket(b: Uint8Array, at: number): Packet | undefined {
  if (at >= b.length) return undefined
  const h = b[at]
  if (!(h & 0x80)) unhandled('not a packet')
  let p = at + 1
  if (!(h & 0x40)) {
    const tag = (h >> 2) & 0x0f
    const lt = h & 3
    let len: number
    if (lt === 0) len = b[p++]
    else if (lt === 1) {
      len = (b[p] << 8) | b[p + 1]
      p += 2
    } else if (lt === 2) {
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
      p += 4
    } else len = b.length - p
    if (!(p + len <= b.length)) unhandled('truncated')
    return { tag, body: b.subarray(p, p + len), next: p + len }
  }
  const tag = h & 0x3f
  const parts: Uint8Array[] = []
  for (;;) {
    if (p >= b.length) unhandled('truncated')
    const o = b[p++]
    let len: number
    let partial = false
    if (o < 192) len = o
    else if (o < 224) len = ((o - 192) << 8) + b[p++] + 192
    else if (o === 255) {
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
      p += 4
    } else {
      len = 1 << (o & 0x1f)
      partial = true
    }
    if (!(p + len <= b.length)) unhandled('truncated')
    parts.push(b.subarray(p, p + len))
    p += len
    if (!partial) break
  }
  return { tag, body: parts.length === 1 ? parts[0] : Buffer.concat(parts), next: p }
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

interface Decrypter {
  keyId: string
  priv: crypto.KeyObject
  param: Uint8Array
  hash: string
  wrap: { cfb: string; wrap: string; size: number }
}

/** The X25519 decryption subkeys of my key, with their KDF parameters; computed once per key. */
const decrypters = new WeakMap<SecretKey, Promise<Decrypter[]>>()
function decryptersOf(key: SecretKey): Promise<Decrypter[]> {
  let d = decrypters.get(key)
  if (!d) {
    d = (async () => {
      const inner = secretInner(key)
      // as openpgp.js's own decryption does: every decryption key, without a date check
      const keys = await inner.getDecryptionKeys(undefined, null as unknown as Date).catch(() => [])
      const out: Decrypter[] = []
      for (const k of keys) {
        const pkt = k.keyPacket as unknown as {
          algorithm: number
          publicParams: { oid: { write(): Uint8Array }; Q: Uint8Array; kdfParams: { hash: number; cipher: number; write(): Uint8Array } }
          privateParams?: { d: Uint8Array }
          getFingerprintBytes(): Uint8Array
          getKeyID(): openpgp.KeyID
          version: number
        }
        if (pkt.algorithm !== ALG_ECDH || pkt.version !== 4 || !pkt.privateParams) continue
        const oid = pkt.publicParams.oid.write()
        if (hex(oid.subarray(1)) !== CURVE25519_OID) continue
        const { hash, cipher } = pkt.publicParams.kdfParams
        if (!HASH[hash] || !AES[cipher]) continue
        const d32 = new Uint8Array(32)
        d32.set(pkt.privateParams.d, 32 - pkt.privateParams.d.length)
        const priv = crypto.createPrivateKey({
          key: { kty: 'OKP', crv: 'X25519', d: b64url(d32.reverse()), x: b64url(pkt.publicParams.Q.subarray(1)) },
          format: 'jwk',
        })
        const param = Buffer.concat([
          oid,
          Buffer.from([ALG_ECDH]),
          pkt.publicParams.kdfParams.write(),
          Buffer.from('Anonymous Sender    ', 'latin1'),
          pkt.getFingerprintBytes(),
        ])
        out.push({ keyId: pkt.getKeyID().toHex(), priv, param, hash: HASH[hash], wrap: AES[cipher] })
      }
      return out
    })()
    decrypters.set(key, d)
  }
  return d
}

function readMpi(b: Uint8Array, at: number): { v: Uint8Array; next: number } {
  if (at + 2 > b.length) unhandled('truncated MPI')
  const bits = (b[at] << 8) | b[at + 1]
  const end = at + 2 + ((bits + 7) >> 3)
  if (end > b.length) unhandled('truncated MPI')
  return { v: b.subarray(at + 2, end), next: end }
}

/** The session key (cipher algorithm, key) behind an ECDH slot, or undefined when it is not for this subkey. */
function openSlot(body: Uint8Array, d: Decrypter): { algo: number; key: Uint8Array } | undefined {
  // v3 PKESK: version, key id (8), algorithm, MPI V (0x40 || 32 bytes), 1-byte length + wrapped key
  const { v: V, next } = readMpi(body, 10)
  if (V.length !== 33 || V[0] !== 0x40) unhandled('unexpected ephemeral point')
  const len = body[next]
  const C = body.subarray(next + 1, next + 1 + len)
  if (len === undefined || C.length !== len || next + 1 + len !== body.length || len % 8 !== 0 || len < 24) unhandled('bad wrapped key')
  let shared: Buffer
  try {
    shared = crypto.diffieHellman({
      privateKey: d.priv,
      publicKey: crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(V.subarray(1)) }, format: 'jwk' }),
    })
  } catch {
    return undefined // a small-order point: openpgp.js refuses it too
  }
  if (shared.every((x) => x === 0)) return undefined
  // openpgp.js's three variants: as is, leading zeros stripped (old Go), trailing zeros stripped (old openpgp.js)
  let start = 0
  while (start < shared.length && shared[start] === 0) start++
  let end = shared.length
  while (end > 0 && shared[end - 1] === 0) end--
  const variants = [shared, shared.subarray(start), shared.subarray(0, end)]
  for (let i = 0; i < variants.length; i++) {
    if (i > 0 && variants[i].length === shared.length) continue
    const Z = crypto
      .createHash(d.hash)
      .update(Buffer.from([0, 0, 0, 1]))
      .update(variants[i])
      .update(d.param)
      .digest()
      .subarray(0, d.wrap.size)
    let m: Buffer
    try {
      const w = crypto.createDecipheriv(d.wrap.wrap, Z, WRAP_IV)
      m = Buffer.concat([w.update(C), w.final()])
    } catch {
      continue
    }
    // PKCS#5 padding, then algorithm || key || checksum (sum of the key's bytes mod 65536)
    const pad = m[m.length - 1]
    if (pad < 1 || pad > m.length || !m.subarray(m.length - pad).every((x) => x === pad)) continue
    const r = m.subarray(0, m.length - pad)
    if (r.length < 3) continue
    const algo = r[0]
    const key = r.subarray(1, r.length - 2)
    let sum = 0
    for (const x of key) sum = (sum + x) & 0xffff
    if (((r[r.length - 2] << 8) | r[r.length - 1]) !== sum) continue
    if (!AES[algo]) unhandled('a cipher other than AES')
    if (key.length !== AES[algo].size) continue
    return { algo, key }
  }
  return undefined
}

interface Sig {
  type: number
  pkAlgo: number
  hashAlgo: number
  hashedPart: Uint8Array
  left16: Uint8Array
  created: number
  expires: number
  issuer: string
  rs: Uint8Array
}

function parseSubpackets(b: Uint8Array, hashed: boolean, into: { created?: number; expires?: number; issuers: string[] }) {
  let p = 0
  while (p < b.length) {
    let len = b[p++]
    if (len >= 192 && len < 255) len = ((len - 192) << 8) + b[p++] + 192
    else if (len === 255) {
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
      p += 4
    }
    if (len < 1 || p + len > b.length) unhandled('bad subpacket')
    const type = b[p] & 0x7f
    const critical = (b[p] & 0x80) !== 0
    const data = b.subarray(p + 1, p + len)
    p += len
    if (type === 2 && hashed && data.length === 4 && into.created === undefined)
      into.created = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0
    else if (type === 3 && hashed && data.length === 4 && into.expires === undefined)
      into.expires = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0
    else if (type === 16 && data.length === 8) into.issuers.push(hex(data))
    else if (type === 33 && data.length === 21 && data[0] === 4) into.issuers.push(hex(data.subarray(13)))
    else if (type === 20 && !critical && hashed) {
      // a notation (openpgp.js salts its signatures with one): signed data, no meaning here
    } else unhandled(`signature subpacket ${type}`)
  }
}

function parseSignature(b: Uint8Array): Sig {
  if (b[0] !== 4) unhandled('signature version')
  const [, type, pkAlgo, hashAlgo] = b
  const hashedLen = (b[4] << 8) | b[5]
  if (6 + hashedLen + 2 > b.length) unhandled('truncated signature')
  const into: { created?: number; expires?: number; issuers: string[] } = { issuers: [] }
  parseSubpackets(b.subarray(6, 6 + hashedLen), true, into)
  let p = 6 + hashedLen
  const unhashedLen = (b[p] << 8) | b[p + 1]
  p += 2
  if (p + unhashedLen + 2 > b.length) unhandled('truncated signature')
  parseSubpackets(b.subarray(p, p + unhashedLen), false, into)
  p += unhashedLen
  const left16 = b.subarray(p, p + 2)
  p += 2
  let rs: Uint8Array
  if (pkAlgo === ALG_EDDSA_LEGACY) {
    const r = readMpi(b, p)
    const s = readMpi(b, r.next)
    if (s.next !== b.length || r.v.length > 32 || s.v.length > 32) unhandled('signature values')
    rs = new Uint8Array(64)
    rs.set(r.v, 32 - r.v.length)
    rs.set(s.v, 64 - s.v.length)
  } else if (pkAlgo === ALG_ED25519) {
    if (b.length - p !== 64) unhandled('signature values')
    rs = b.subarray(p)
  } else return unhandled('signature algorithm')
  const issuers = new Set(into.issuers)
  if (into.created === undefined || issuers.size !== 1) unhandled('signature without one issuer or a creation time')
  return {
    type,
    pkAlgo,
    hashAlgo,
    hashedPart: b.subarray(0, 6 + hashedLen),
    left16,
    created: into.created!,
    expires: into.expires ?? 0,
    issuer: [...issuers][0],
    rs,
  }
}

const badSignature = (why: string) => new PeerFeedError('BAD_SIGNATURE', `signature check failed: ${why}. The content was not accepted.`)

/** Ed25519 public keys of friends' signing (sub)keys, made once per key packet. */
const verifiers = new WeakMap<object, crypto.KeyObject>()

async function verify(sig: Sig, literal: Uint8Array, signers: readonly PublicKey[], date: Date): Promise<PublicKey> {
  if (sig.type !== 0x00) unhandled('not a binary signature')
  const hashName = HASH[sig.hashAlgo] ?? unhandled('hash algorithm')
  const who = signers.find((k) => k.hasKeyId(sig.issuer))
  if (!who) throw badSignature(`signed by unknown key ${sig.issuer}`)
  const primary = publicInner(who)
  const found = primary.getKeys().find((k) => k.getKeyID().toHex() === sig.issuer)
  if (!found) throw badSignature(`signed by unknown key ${sig.issuer}`)
  const pkt = found.keyPacket as unknown as {
    algorithm: number
    publicParams: { Q?: Uint8Array; A?: Uint8Array; oid?: { toHex(): string } }
  }
  if (pkt.algorithm !== sig.pkAlgo) throw badSignature(`signature by ${who.fingerprint} is invalid: algorithm mismatch`)
  let pub = verifiers.get(pkt)
  if (!pub) {
    const raw =
      pkt.algorithm === ALG_EDDSA_LEGACY && pkt.publicParams.Q?.length === 33 && pkt.publicParams.Q[0] === 0x40
        ? pkt.publicParams.Q.subarray(1)
        : pkt.algorithm === ALG_ED25519 && pkt.publicParams.A?.length === 32
          ? pkt.publicParams.A
          : unhandled('signing key')
    pub = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' })
    verifiers.set(pkt, pub)
  }
  const trailer = Buffer.alloc(6)
  trailer[0] = 4
  trailer[1] = 0xff
  trailer.writeUInt32BE(sig.hashedPart.length, 2)
  const digest = crypto.createHash(hashName).update(literal).update(sig.hashedPart).update(trailer).digest()
  const invalid = (why: string) => badSignature(`signature by ${who.fingerprint} is invalid: ${why}`)
  if (digest[0] !== sig.left16[0] || digest[1] !== sig.left16[1]) throw invalid('Signed digest did not match')
  if (!crypto.verify(null, digest, pub, sig.rs)) throw invalid('Signature verification failed')
  const created = new Date(sig.created * 1000)
  if (created > date) throw invalid('Signature creation time is in the future')
  if (sig.expires && date.getTime() >= (sig.created + sig.expires) * 1000) throw invalid('Signature is expired')
  if (found.getCreationTime() > created) throw invalid('Key is newer than the signature')
  try {
    // the signing key was valid when it signed: openpgp.js answers from the self-signatures it already checked
    await primary.getSigningKey(found.getKeyID(), created)
  } catch (e) {
    throw invalid((e as Error).message)
  }
  return who
}

/**
 * Decrypts and verifies `armored` like decryptAndVerify with compressed data refused, or answers undefined when
 * the message is not of the shape handled here (then use decryptAndVerify). Throws the same typed errors.
 */
export async function openDirect({
  message,
  keys,
  signers,
  date,
}: {
  message: string
  keys: readonly SecretKey[]
  signers: readonly PublicKey[]
  date: Date
}): Promise<(Decrypted & { key: SecretKey }) | undefined> {
  try {
    return await open(message, keys, signers, date)
  } catch (e) {
    if (e instanceof Unhandled) return undefined
    throw e
  }
}

async function open(message: string, keys: readonly SecretKey[], signers: readonly PublicKey[], date: Date) {
  const bytes = dearmorMessage(message)
  const slots: Uint8Array[] = []
  let at = 0
  let pkt = readPacket(bytes, at)
  while (pkt && pkt.tag === 1) {
    if (pkt.body[0] !== 3 || pkt.body[9] !== ALG_ECDH) unhandled('a recipient other than v3 ECDH')
    slots.push(pkt.body)
    at = pkt.next
    pkt = readPacket(bytes, at)
  }
  if (!pkt || pkt.tag !== 18 || pkt.body[0] !== 1 || pkt.next !== bytes.length || slots.length === 0) return unhandled('not PKESK+SEIPDv1')
  const data = pkt.body.subarray(1)
  const lists = await Promise.all(keys.map(decryptersOf))
  if (lists.every((l) => l.length === 0)) unhandled('no X25519 key of mine')
  let session: { algo: number; key: Uint8Array } | undefined
  let opener: SecretKey | undefined
  outer: for (const slot of slots) {
    const id = hex(slot.subarray(1, 9))
    const named = id !== '0000000000000000'
    // a slot naming a key of mine that is not X25519 (an RSA subkey...) is openpgp.js's to open
    if (named && keys.some((k) => k.publicKey.hasKeyId(id)) && !lists.some((l) => l.some((d) => d.keyId === id)))
      unhandled('a slot for a key of mine opened elsewhere')
    for (let i = 0; i < keys.length; i++) {
      for (const d of lists[i]) {
        if (named && id !== d.keyId) continue
        session = openSlot(slot, d)
        if (session) {
          opener = keys[i]
          break outer
        }
      }
    }
  }
  if (!session || !opener) {
    throw new PeerFeedError('NOT_FOR_ME', `this message is not encrypted to my key ${keys[0].fingerprint} (no session key opens with it).`)
  }
  const cfb = crypto.createDecipheriv(AES[session.algo].cfb, session.key, ZERO_IV)
  const plain = Buffer.concat([cfb.update(data), cfb.final()])
  const mdcAt = plain.length - 22
  if (mdcAt < 18 || plain[mdcAt] !== 0xd3 || plain[mdcAt + 1] !== 0x14) {
    throw new PeerFeedError('BAD_MESSAGE', 'the message is damaged or was tampered with: Modification detected.')
  }
  const mdc = crypto
    .createHash('sha1')
    .update(plain.subarray(0, mdcAt + 2))
    .digest()
  if (!mdc.equals(plain.subarray(mdcAt + 2))) {
    throw new PeerFeedError('BAD_MESSAGE', 'the message is damaged or was tampered with: Modification detected.')
  }
  const inner = plain.subarray(18, mdcAt)
  const packets: Packet[] = []
  for (let p = readPacket(inner, 0); p; p = readPacket(inner, p.next)) {
    if (p.tag === 8) {
      throw new PeerFeedError('COMPRESSED', 'compressed messages are refused here; send it uncompressed (gpg --compress-algo none).')
    }
    packets.push(p)
    if (packets.length > 3) unhandled('more packets than one signed literal')
  }
  if (packets.length !== 3 || packets[0].tag !== 4 || packets[1].tag !== 11 || packets[2].tag !== 2)
    unhandled('not a one-pass signed literal')
  const [ops, lit, sigPkt] = packets
  // one-pass signature v3: version, type, hash, key algorithm, key id (8), nested flag
  if (ops.body.length !== 13 || ops.body[0] !== 3 || ops.body[12] !== 1) unhandled('one-pass signature')
  // literal: format, name length, name, date (4), data
  if (lit.body[0] !== 0x62 || lit.body.length < 6 + lit.body[1]) unhandled('literal format')
  const literal = lit.body.subarray(6 + lit.body[1])
  const sig = parseSignature(sigPkt.body)
  if (
    hex(ops.body.subarray(4, 12)) !== sig.issuer ||
    ops.body[1] !== sig.type ||
    ops.body[2] !== sig.hashAlgo ||
    ops.body[3] !== sig.pkAlgo
  )
    unhandled('one-pass signature does not match the signature')
  const signer = await verify(sig, literal, signers, date)
  const out = new Uint8Array(literal)
  return { data: out, text: () => decoder.decode(out), signer, key: opener }
}
