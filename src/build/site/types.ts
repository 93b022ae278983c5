// The inputs of the public-site renderer and the view objects its templates read.
import type { Post } from '../../posts/types.ts'
import type { Problem } from '../../errors.ts'
import type { WallTime } from './format.ts'

export interface Owner {
  name: string
  /** 40 hex digits. */
  fingerprint: string
  keyArmored: string
  /** The public key as a QR code, an SVG document made by the identity stage. */
  qrSvg: string
  /** Where the site is published, e.g. `https://example.org/` — makes feed links absolute. */
  url?: string
  email?: string
}

export interface RenderSiteOptions {
  /** Every public post (comments and likes included). Order does not matter: the renderer sorts. */
  posts: Post[]
  owner: Owner
  /** Pre-filled by the caller with the previous build's files as hard links: only replaced by rename, never written through. */
  outDir: string
  templatesDir: string
  /** Where the render manifest lives between builds (git-ignored local state). */
  cacheDir: string
  /** where compiled templates are kept between builds (nunjucks-direct.ts); none: compiled every time */
  codeCache?: string
  /** The feed root: `post.file` and attachment paths are resolved against it. */
  root: string
  /** Re-render everything, whatever the manifest says. */
  full?: boolean
  /** Posts on the home page (default 20) and in feed.xml / feed.json / outbox.json (default 50). */
  homeSize?: number
  feedSize?: number
  /** Where `*.schema.json` are copied from (default: src/schemas). */
  schemasDir?: string
  /** Friends by fingerprint: the name in their key and their site when known, to name them in replies and likes. */
  authors?: ReadonlyMap<string, Author>
  /** The ids of all my posts, public or not: a reply to an id not among them answers a post that does not exist. */
  ownIds?: ReadonlySet<string>
}

export interface Author {
  name: string
  url?: string
}

export interface RenderSiteResult {
  /** Output files written by this build. */
  rendered: number
  /** Output files carried forward unchanged. */
  skipped: number
  /** Every file of the site, relative to outDir, sorted. */
  files: string[]
  written: string[]
  removed: string[]
  /** Attachments that could not be copied (missing, outside the feed root). The rest of the site is still built. */
  problems: Problem[]
  /** Milliseconds per phase (read, plan, diff, eleventy, write), for benchmarks and `build --verbose`. */
  timings: Record<string, number>
}

export interface Link {
  url: string
  title: string
}

/** A reference to another post: `url` when it is on this site, `ref` (a URN) when it is a friend's post. */
export interface PostRef {
  url?: string
  title?: string
  ref?: string
  label: string
  /** the target alone, without the verb: "“Hello”", "a post by …", for sentences like "Ada liked …" */
  what: string
  /** a friend's post: who wrote it (the name in their key) and their site when known */
  by?: Author
  /** the id names none of my posts */
  missing?: boolean
}

export interface TagView {
  name: string
  slug: string
  url: string
}

export interface CommentView {
  id: string
  url: string
  title: string
  paragraphs: string[]
  published: string
  publishedHuman: string
}

export interface PostView {
  id: string
  type: string
  slug: string
  url: string
  /** Page and feed title, always set. */
  title: string
  /** A heading of its own (link title, event name, place…); when absent the text is the entry's name. */
  name?: string
  paragraphs: string[]
  published: string
  publishedHuman: string
  updated?: string
  updatedHuman?: string
  tags: TagView[]
  images: { src: string; alt: string; mediaType: string }[]
  files: { href: string; name: string; mediaType: string; size?: number }[]
  link?: { href?: string; text: string; title: string; host?: string }
  location?: { lat: number; lon: number; place?: string; coordinates: string; osmUrl: string }
  event?: { name: string; start: WallTime; end?: WallTime; location?: string }
  activity?: { activity: string; label: string; distance?: string; duration?: string; durationIso?: string; elevation?: string }
  replyTo?: PostRef
  likeOf?: PostRef
  comments: CommentView[]
  commentCount: number
  likeCount: number
}

/** Owner facts every page may show. Part of every page's hash: renaming yourself re-renders the site. */
export interface SiteView {
  name: string
  fingerprint: string
  fingerprintGrouped: string
  base: string
  absoluteBase: string
  url?: string
  email?: string
  urls: {
    home: string
    about: string
    archive: string
    tags: string
    atom: string
    jsonFeed: string
    outbox: string
    key: string
    style: string
    localTime: string
  }
}
