// What a build tells the server about the pages it wrote. Kept in the live tree's state folder (.peerfeed/build/tree-a|b/manifest.json), never in dist/.
import type { Cursor, PageRef } from './wire.ts'

export interface AudienceManifest {
  /** `friend:<petname>` or `group:<name>` */
  key: string
  kind: 'friend' | 'group'
  name: string
  /** fingerprints the pages are encrypted to (blocked keys never appear) */
  members: string[]
  pages: PageRef[]
}

export interface BuildManifest {
  v: 1
  owner: string
  builtAt: string
  /** the newest cursor of the feed */
  last: Cursor | null
  public: { pages: PageRef[] }
  audiences: AudienceManifest[]
}

export const MANIFEST_FILE = 'build/manifest.json'
