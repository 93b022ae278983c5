// A public key's fingerprint from its armored text, without loading openpgp (start-up of read-only commands such as
// `timeline`, which only name authors). It checks nothing about the key: a command that trusts a key reads it with
// readPublicKey. Undefined for anything it does not recognise, so the caller can fall back to openpgp.
import crypto from 'node:crypto'

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----'

/** The lower-case hex fingerprint of the first (primary) key in an armored public key block (v4, v5 or v6). */
export function fingerprintOfArmored(text: string): string | undefined {
  const start = text.indexOf(BEGIN)
  if (start < 0) return undefined
  const lines = text.slice(start + BEGIN.length).split(/\r?\n/)
  let i = 1
  // armor headers (Version:, Comment:) up to the first empty line
  while (i < lines.length && lines[i].trim() !== '' && lines[i].includes(': ')) i++
  let b64 = ''
  for (; i < lines.length; i++) {
    const line = lines[i].trim()
    if (line.startsWith('-----END') || (line.startsWith('=') && line.length === 5)) break
    b64 += line
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined
  return fingerprintOfPacket(Buffer.from(b64, 'base64'))
}

/** The fingerprint of the public-key packet at the start of `bin`, or undefined if it is not one. */
export function fingerprintOfPacket(bin: Uint8Array): string | undefined {
  if (bin.length < 2 || !(bin[0] & 0x80)) return undefined
  let tag: number
  let len: number
  let at: number
  if (bin[0] & 0x40) {
    // new format: one, two or five length octets
    tag = bin[0] & 0x3f
    const b = bin[1]
    if (b < 192) [len, at] = [b, 2]
    else if (b < 224) [len, at] = [((b - 192) << 8) + bin[2] + 192, 3]
    else if (b === 255) [len, at] = [((bin[2] << 24) | (bin[3] << 16) | (bin[4] << 8) | bin[5]) >>> 0, 6]
    else return undefined // partial lengths are not allowed for key packets
  } else {
    tag = (bin[0] >> 2) & 0x0f
    const type = bin[0] & 3
    if (type === 0) [len, at] = [bin[1], 2]
    else if (type === 1) [len, at] = [(bin[1] << 8) | bin[2], 3]
    else if (type === 2) [len, at] = [((bin[1] << 24) | (bin[2] << 16) | (bin[3] << 8) | bin[4]) >>> 0, 5]
    else return undefined
  }
  if (tag !== 6 || at + len > bin.length || len < 1) return undefined
  const body = bin.subarray(at, at + len)
  const version = body[0]
  if (version === 4) {
    const head = Buffer.from([0x99, len >> 8, len & 0xff])
    return crypto.createHash('sha1').update(head).update(body).digest('hex')
  }
  if (version === 5 || version === 6) {
    const head = Buffer.alloc(5)
    head[0] = version === 6 ? 0x9b : 0x9a
    head.writeUInt32BE(len, 1)
    return crypto.createHash('sha256').update(head).update(body).digest('hex')
  }
  return undefined
}
