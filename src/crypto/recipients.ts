// Reads the recipient key IDs of an armored OpenPGP message without decrypting it: a cheap gate before any crypto.
import { PeerFeedError } from '../errors.ts'

const BEGIN = '-----BEGIN PGP MESSAGE-----'
const END = '-----END PGP MESSAGE-----'
const PKESK = 1
const WILDCARD = '0000000000000000'

/** The base64 body of an armored message (headers and checksum dropped), decoded. */
export function dearmorMessage(armored: string): Uint8Array {
  const start = armored.indexOf(BEGIN)
  const end = armored.indexOf(END, start)
  if (start < 0 || end < 0)
    throw new PeerFeedError('NOT_ARMORED', 'the body is not an ASCII-armored OpenPGP message (-----BEGIN PGP MESSAGE-----).')
  const lines = armored.slice(start + BEGIN.length, end).split(/\r?\n/)
  // Armor headers ("Key: value") run up to the first blank line; without headers the body starts at once.
  let i = 1
  if (lines.slice(1).some((l) => l.trim() === '') && /^[^:\s]+: /.test(lines[1] ?? '')) {
    while (i < lines.length && lines[i].trim() !== '') i++
  }
  const body = lines
    .slice(i)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('='))
    .join('')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) {
    throw new PeerFeedError('NOT_ARMORED', 'the armored message holds characters that are not base64.')
  }
  return Buffer.from(body, 'base64')
}

interface Packet {
  tag: number
  body: Uint8Array
  next: number
}

/** One packet header (old or new format); partial lengths are allowed only for data packets, which we never read. */
function readPacket(b: Uint8Array, at: number): Packet | undefined {
  if (at >= b.length) return undefined
  const h = b[at]
  if (!(h & 0x80)) throw new PeerFeedError('NOT_A_MESSAGE', 'the message does not start with an OpenPGP packet.')
  let tag: number
  let len: number
  let p = at + 1
  if (h & 0x40) {
    tag = h & 0x3f
    const o = b[p++]
    if (o < 192) len = o
    else if (o < 224) len = ((o - 192) << 8) + b[p++] + 192
    else if (o === 255) {
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
      p += 4
    } else return { tag, body: new Uint8Array(), next: b.length } // partial length: a data packet, stop here
  } else {
    tag = (h >> 2) & 0x0f
    const lt = h & 3
    if (lt === 0) len = b[p++]
    else if (lt === 1) {
      len = (b[p] << 8) | b[p + 1]
      p += 2
    } else if (lt === 2) {
      len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
      p += 4
    } else len = b.length - p
  }
  if (p + len > b.length || Number.isNaN(len)) throw new PeerFeedError('NOT_A_MESSAGE', 'the message is truncated.')
  return { tag, body: b.subarray(p, p + len), next: p + len }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** The key ID (16 hex) a PKESK packet is addressed to; v3 names it, v6 names a fingerprint. */
function pkeskKeyId(body: Uint8Array): string {
  if (body[0] === 3 && body.length >= 10) return hex(body.subarray(1, 9))
  if (body[0] === 6 && body.length >= 2) {
    const n = body[1]
    if (n === 0) return WILDCARD
    const version = body[2]
    const fpr = body.subarray(3, 2 + n)
    return version === 4 ? hex(fpr.subarray(fpr.length - 8)) : hex(fpr.subarray(0, 8))
  }
  throw new PeerFeedError('NOT_A_MESSAGE', `unsupported public-key encrypted session key packet version ${body[0]}.`)
}

/**
 * The key IDs (16 lower-case hex digits, `0000000000000000` for an anonymous recipient) that an armored
 * message is encrypted to, read from its leading PKESK packets. Throws NOT_ARMORED / NOT_A_MESSAGE /
 * NOT_ENCRYPTED; never decrypts anything.
 */
export function recipientKeyIds(armored: string): string[] {
  const bytes = dearmorMessage(armored)
  const ids: string[] = []
  let at = 0
  for (;;) {
    const pkt = readPacket(bytes, at)
    if (!pkt || pkt.tag !== PKESK) break
    ids.push(pkeskKeyId(pkt.body))
    at = pkt.next
  }
  if (ids.length === 0)
    throw new PeerFeedError(
      'NOT_ENCRYPTED',
      'the message is not encrypted to a public key (its first packet is not a public-key encrypted session key).',
    )
  return ids
}
