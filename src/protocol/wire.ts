// Wire types of the exchange protocol, shared by build, server and sync so they cannot drift. See docs/protocol.md.
import type { PostData } from '../posts/types.ts'

/** Opaque to peers: the time (ms since epoch, 13+ digits) the owner's build first saw a post version. */
export type Cursor = string

export const PROTOCOL_VERSION = 1

/** Where a feed publishes the chain of its key rotations (a JSON list of RotationStatement), beside key.asc. */
export const ROTATION_PATH = 'key-rotation.json'

/** One post version, or a tombstone, as carried in pages. */
export interface Entry {
  cursor: Cursor
  id: string
  /** absent in a tombstone */
  post?: PostData
  deleted?: true
  /** attachment path (as in post.attachments) → where to fetch it: a site path for public posts, a page name for private ones */
  files?: Record<string, string>
}

/** The plaintext of a private page: one OpenPGP message, encrypted to the audience, signed by the owner. */
export interface PrivatePage {
  v: 1
  owner: string
  /** 'you' for pages of posts addressed to the reader, or the group's name */
  audience: string
  entries: Entry[]
}

/** A friend's index (also a signed, encrypted message): every page the friend may read, for static hosts. */
export interface FriendIndex {
  v: 1
  owner: string
  generated: string
  pages: PageRef[]
}

/**
 * The plaintext of one box in `p/boxes.json`: a friend's page-name key, for friends whose keys cannot share an
 * X25519 secret with the owner's. Encrypted to that friend alone with an anonymous recipient, signed by the owner.
 */
export interface NameBox {
  v: 1
  owner: string
  friend: string
  /** 64 hex digits: the HMAC key of docs/page-names.md for this friend */
  nameKey: string
}

/** `p/boxes.json`: every box, in an order that says nothing (sorted by their text). */
export interface BoxesFile {
  v: 1
  boxes: string[]
}

export interface PageRef {
  name: string
  audience: string
  first: Cursor
  last: Cursor
  count: number
  types: string[]
}

/** A public page manifest: the SHA-256 of each entry's canonical JSON, signed by the owner (detached). */
export interface PublicManifest {
  v: 1
  owner: string
  page: string
  first: Cursor
  last: Cursor
  hashes: string[]
}

export interface UpdatesRequest {
  since: Cursor | null
  limit: number
  types?: string[]
  nonce: string
  sentAt: string
  /**
   * the fingerprint of the server's key: a request is good for that server only (required in v1 since 2026-11-25);
   * after a rotation, the key the friend still knows is accepted too
   */
  server: string
}

export interface UpdatesResponse {
  pages: string[]
  next: Cursor | null
  /**
   * Only when the request named an earlier key of the owner (`server`): the rotation statements (as in
   * key-rotation.json) from that key to the key that signed the pages, oldest first. See docs/protocol.md.
   */
  key_rotation?: unknown[]
}

export interface PublicResponse {
  posts: Entry[]
  next: Cursor | null
  /** the signed manifests covering every returned entry */
  manifests: { manifest: string; signature: string }[]
}

export interface ErrorBody {
  error: { code: string; message: string }
}

export const isCursor = (s: unknown): s is Cursor => typeof s === 'string' && /^\d{1,20}$/.test(s)
