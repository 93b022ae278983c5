// The shape of a post as stored in a file, and as loaded (with its id, file and hash).
import type { POST_TYPES } from '../schemas/registry.ts'

export type PostType = (typeof POST_TYPES)[number]

export interface Attachment {
  /** Relative to the post file, e.g. `first-snow.jpg`. */
  path: string
  mediaType?: string
  size?: number
  sha256?: string
  alt?: string
}

/** Exactly what a post file holds. Type-specific fields are described by src/schemas/<type>.schema.json. */
export interface PostData {
  type: PostType
  published: string
  updated?: string
  to?: string[]
  tags?: string[]
  attachments?: Attachment[]
  text?: string
  // link
  url?: string
  title?: string
  // location
  lat?: number
  lon?: number
  place?: string
  // event
  name?: string
  start?: string
  end?: string
  location?: string
  // activity
  activity?: string
  distanceKm?: number
  duration?: string
  elevationM?: number
  // comment / like
  inReplyTo?: string
  object?: string
  [extension: `x-${string}`]: unknown
}

export interface Post {
  /** `<author fingerprint, 40 lower-case hex>/<file stem>`: stable across edits, unique across authors. */
  id: string
  /** File name without `.yaml`, e.g. `2026-11-24T09-30-00Z-first-snow`. */
  stem: string
  /** Path relative to the feed root, forward slashes, e.g. `feed/2026/11/2026-11-24T09-30-00Z-first-snow.yaml`. */
  file: string
  /** sha256 (hex) of the file's bytes: identifies this version of the post. */
  hash: string
  author: string
  data: PostData
}

/** The audience names of a post: `['public']` or petnames of friends and groups. */
export function audienceOf(data: PostData): string[] {
  const to = data.to ?? ['public']
  return to.length === 0 ? ['public'] : to
}
