// Names of private pages: HMACs under a key only the owner and that audience know, so a name tells a
// stranger nothing of who the friends are. See docs/page-names.md.
import crypto from 'node:crypto'
import { canShareSecret, ownSecret, sharedSecret, type PublicKey, type SecretKey } from '../crypto/index.ts'

export const PAGE_NAME_INFO = 'peerfeed page names v1'
export const BOXED_NAME_INFO = 'peerfeed boxed page names v1'

/** The key naming a friend's pages: X25519 between the owner's and the friend's keys, through HKDF. Either side can compute it. */
export const friendNameKey = (mine: SecretKey, theirs: PublicKey): Buffer => sharedSecret({ mine, theirs, info: PAGE_NAME_INFO })

/**
 * The owner's side for any friend: the X25519 key when both keys have Curve25519 subkeys; otherwise (RSA, NIST
 * curves) a key derived from the owner's secret key alone, which the friend learns from their box in
 * `p/boxes.json` (`boxed: true`). See docs/page-names.md.
 */
export function ownerNameKey(mine: SecretKey, theirs: PublicKey): { key: Buffer; boxed: boolean } {
  if (canShareSecret(mine, theirs)) return { key: friendNameKey(mine, theirs), boxed: false }
  return { key: ownSecret({ mine, info: `${BOXED_NAME_INFO}\n${theirs.fingerprint}` }), boxed: true }
}

/** A fresh random key for a group's pages; the build makes a new one whenever the group's members change. */
export const newGroupNameKey = (random = crypto.randomBytes): string => random(32).toString('hex')

const name = (key: Buffer | string, label: string) =>
  crypto
    .createHmac('sha256', typeof key === 'string' ? Buffer.from(key, 'hex') : key)
    .update(label)
    .digest('hex')
    .slice(0, 32)

export const pageName = (key: Buffer | string, start: number) => name(key, `page:${start}`)
export const blobName = (key: Buffer | string, sha256: string) => name(key, `file:${sha256}`)
/** Where a friend finds the list of every page it may read: `p/<friendIndexName>.asc`. */
export const friendIndexName = (key: Buffer) => name(key, 'index')

/** Where the boxes of friends whose keys cannot share an X25519 secret with the owner's are published. */
export const BOXES_PATH = 'p/boxes.json'

/** The path of a private page, blob or index inside dist/. */
export const privatePath = (n: string) => `p/${n}.asc`
