// p/boxes.json: the page-name key of each friend whose key cannot share an X25519 secret with the owner's (RSA,
// NIST curves), each in its own anonymous message to that friend. A box is encrypted again only when its key changes.
import { encryptAndSign, type PublicKey, type SecretKey } from '../crypto/index.ts'
import { sha256Hex } from '../protocol/canonical.ts'
import type { BoxesFile, NameBox } from '../protocol/wire.ts'
import type { Output } from './output.ts'
import { BOXES_PATH } from './page-names.ts'

/** content key (sha256 of the box plaintext and signer) → the armored box made for it */
export type BoxCache = Record<string, string>

export async function writeNameBoxes(opts: {
  out: Output
  signer: SecretKey
  boxed: { friend: PublicKey; nameKey: Buffer }[]
  cache: BoxCache
}): Promise<BoxCache> {
  const next: BoxCache = {}
  for (const { friend, nameKey } of opts.boxed) {
    const box: NameBox = { v: 1, owner: opts.signer.fingerprint, friend: friend.fingerprint, nameKey: nameKey.toString('hex') }
    const plain = JSON.stringify(box)
    const key = sha256Hex(`${plain}\n${opts.signer.fingerprint}`)
    next[key] = opts.cache[key] ?? (await encryptAndSign({ data: plain, to: [friend], signer: opts.signer }))
  }
  const file: BoxesFile = { v: 1, boxes: Object.values(next).sort() }
  const text = `${JSON.stringify(file)}\n`
  if ((await opts.out.read(BOXES_PATH)) !== text) await opts.out.write(BOXES_PATH, text)
  return next
}
