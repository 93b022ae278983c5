// Names of private pages: HMACs under a key only the owner and that audience know, so a name tells a
// stranger nothing of who the friends are. See docs/page-names.md.
import crypto from 'node:crypto'
import { sharedSecret, type PublicKey, type SecretKey } from '../crypto/index.ts'

export const PAGE_NAME_INFO = 'peerfeed page names v1'

/** The key naming a friend's pages: X25519 between the owner's and the friend's keys, through HKDF. Either side can compute it. */
export const friendNameKey = (mine: SecretKey, theirs: PublicKey): Buffer => sharedSecret({ mine, theirs, info: PAGE_NAME_INFO })

/** A fresh random key for a group's pages; the build makes a new one whenever the group's members change. */
export const newGroupNameKey = (random = crypto.randomBytes): string => random(32).toString('hex')

const name = (key: Buffer | string, label: string) =>
  crypto.createHmac('sha256', typeof key === 'string' ? Buffer.from(key, 'hex') : key).update(label).digest('hex').slice(0, 32)

export const pageName = (key: Buffer | string, start: number) => name(key, `page:${start}`)
export const blobName = (key: Buffer | string, sha256: string) => name(key, `file:${sha256}`)
/** Where a friend finds the list of every page it may read: `p/<friendIndexName>.asc`. */
export const friendIndexName = (key: Buffer) => name(key, 'index')

/** The path of a private page, blob or index inside dist/. */
export const privatePath = (n: string) => `p/${n}.asc`
