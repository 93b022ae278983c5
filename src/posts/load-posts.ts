// Loads every post file under a folder: read, parse, validate, check attachments, give ids; cached by path, size and mtime.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { schemasVersion } from '../schemas/index.ts'
import type { CacheEntry } from './check-file.ts'
import {
  cacheCtime,
  cacheHasData,
  cacheIno,
  cacheMtime,
  cachePublished,
  cacheSize,
  type PostCache,
  PostCacheWriter,
  readPostCache,
  type Row,
} from './post-cache.ts'
import type { Post, PostData } from './types.ts'
import { postId } from './ids.ts'
import { listFromModes, listPostFiles } from './list-post-files.ts'

export interface LoadOptions {
  /** The author's key fingerprint; ids are `<fingerprint>/<stem>`. */
  fingerprint: string
  /** The folder to read (default: the feed). Inbox folders use the same layout. */
  dir?: string
  /** Where to keep the parse cache; `false` disables it. */
  cacheFile?: string | false
  /**
   * Trust a folder's times for its files (list-post-files.ts): for folders written only by renames, as sync writes
   * the inbox. Check a post with `stale` before showing it.
   */
  trustFolders?: boolean
  /**
   * The folder's files as a scan made just before listed them (relative to the root, with `/`, each with its lstat
   * mode) and the stat it recorded for each: the build's input scan (input-snapshot.ts), so the feed is not walked and
   * stat'ed twice. Not with `trustFolders`.
   */
  scanned?: { files: readonly [string, number][]; stat: (file: string) => FileStat | undefined }
}

/** What loadPosts compares of a file's stat with its cached row. */
export interface FileStat {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

export interface Loaded {
  posts: Post[]
  problems: Problem[]
  stats: { files: number; cached: number }
  /** With `trustFolders`: true when one of these posts' files is not what its cached row says (load again without). */
  stale?: (posts: Post[]) => boolean
}

/** Longer than any timestamp granularity we expect (FAT: 2 s; ext4, xfs, btrfs: a clock tick). */
const RACY_MS = 3000

/** What a cache must have been written with to be read: the cache's format and the schemas posts were checked by. */
export const cacheVersion = () => `4:${schemasVersion()}`

/**
 * Every post file under a folder, checked, through a cache (post-cache.ts) keyed by size, mtime, ctime and inode.
 * The cache records when the load that wrote it started (`checkedAt`): a file whose times are not clearly older than
 * that may have changed again within the file system's timestamp granularity, so it is re-read and compared by hash
 * before its row is trusted (git's "racily clean" rule). ctime and inode catch a file restored with an old mtime.
 */
export async function loadPosts(layout: Layout, opts: LoadOptions): Promise<Loaded> {
  const dir = opts.dir ?? layout.feed
  const cacheFile = opts.cacheFile === undefined ? path.join(layout.state, 'cache', 'posts.cache') : opts.cacheFile
  const version = cacheVersion()
  const startedAt = Date.now()
  const old = cacheFile ? readPostCache(cacheFile, version) : undefined
  const trustBefore = (old?.checkedAt ?? 0) - RACY_MS
  const problems: Problem[] = []
  const posts: Post[] = []
  // per file: the old row's index when it stands as it is, or the new row and its data
  const plan: (number | [Row, Buffer | string | null])[] = []
  let cached = 0
  let changed = !old
  // parsing (yaml, ajv) is loaded only when a file must be read: through the cache nothing is
  let check: typeof import('./check-file.ts').checkFile | undefined

  const scanned = opts.trustFolders ? undefined : opts.scanned
  const listing = scanned
    ? listFromModes(scanned.files, problems)
    : listPostFiles(dir, layout.root, problems, opts.trustFolders && old ? { old, trustBefore } : undefined)
  const { files, trusted } = listing
  // a folder listed anew (changed, racy or new) is written down with its new times, so it is trusted next time
  if (opts.trustFolders && listing.dirs.some((d) => d[1] !== -1 && !trusted.has(d[0]))) changed = true
  const rootSlash = layout.root.endsWith(path.sep) ? layout.root : layout.root + path.sep
  const oldFiles = old?.files ?? []
  let j = 0
  let lastDir: string | undefined
  let inTrusted = false
  for (const file of files) {
    const abs = rootSlash + file
    // both lists are sorted the same way: a walk, not a lookup
    while (j < oldFiles.length && oldFiles[j] < file) j++
    if (old && j < oldFiles.length && oldFiles[j] === file) {
      if (trusted.size) {
        const d = file.slice(0, file.lastIndexOf('/'))
        if (d !== lastDir) [lastDir, inTrusted] = [d, trusted.has(d)]
        if (inTrusted && attachmentsUnchanged(abs, old, j, trustBefore)) {
          cached++
          plan.push(j)
          addCached(posts, problems, old, j, file, opts.fingerprint)
          continue
        }
      }
      const st = scanned?.stat(file) ?? fs.statSync(abs)
      const same =
        cacheSize(old, j) === st.size &&
        cacheMtime(old, j) === st.mtimeMs &&
        cacheCtime(old, j) === st.ctimeMs &&
        cacheIno(old, j) === st.ino
      const attsSame = attachmentsUnchanged(abs, old, j, trustBefore)
      if (same && attsSame && Math.max(st.mtimeMs, st.ctimeMs) < trustBefore) {
        cached++
        plan.push(j)
        addCached(posts, problems, old, j, file, opts.fingerprint)
        continue
      }
      // racily clean, or touched: the same bytes mean the parse stands, only the times move
      const now = attsSame ? hashFile(abs) : undefined
      const hash = old.hash(j)
      if (now && now.hash === hash) {
        cached++
        changed = true
        const e = old.extra(j)
        const bytes = old.bytes(j)
        const r: Row = [file, now.size, now.mtimeMs, now.ctimeMs, now.ino, hash, cachePublished(old, j), -1, 0, ...(e ?? [])] as Row
        plan.push([r, bytes])
        addPost(posts, problems, r, bytes, opts.fingerprint)
        continue
      }
    }
    check ??= (await import('./check-file.ts')).checkFile
    const entry: CacheEntry = check(abs, file)
    changed = true
    const t = entry.data ? Date.parse(entry.data.published) : 0
    const r: Row = [file, entry.size, entry.mtimeMs, entry.ctimeMs, entry.ino, entry.hash, t, -1, 0]
    if (entry.problems.length || entry.att.length) r.push(entry.problems, entry.att)
    const json = entry.data && JSON.stringify(entry.data)
    plan.push([r, json])
    addPost(posts, problems, r, json, opts.fingerprint, entry.data)
  }
  if (old && old.files.length !== files.length) changed = true

  // the same files with the same rows: the same duplicates as last time
  const listProblems = !changed && old ? old.listProblems : duplicateIds(posts)
  problems.push(...listProblems)
  sortByPublished(posts)
  // rows re-read because they were racy are rewritten too, with this load's time, so they are trusted next time
  if (cacheFile && changed) {
    const out = new PostCacheWriter()
    for (const p of plan) {
      if (typeof p === 'number') out.keep(old!, p)
      else out.add(p[0], p[1])
    }
    // only a cache: a full disk costs the next run its speed, not this run its result (and leaves no temp file)
    const dirs = opts.trustFolders ? listing.dirs : undefined
    await writeFileAtomic(cacheFile, out.bytes(version, startedAt, listProblems, dirs), { durable: false }).catch(() => {})
  }
  const stale = old && trusted.size ? (ps: Post[]) => ps.some((p) => isStale(old, trusted, trustBefore, rootSlash, p.file)) : undefined
  return { posts, problems, stats: { files: files.length, cached }, ...(stale ? { stale } : {}) }
}

/** A file whose row stood because its folder did: does the file itself still match the row, clearly older than it? */
function isStale(c: PostCache, trusted: Set<string>, trustBefore: number, rootSlash: string, file: string): boolean {
  if (!trusted.has(file.slice(0, file.lastIndexOf('/')))) return false
  // binary search: the cache's files are sorted
  let lo = 0
  let hi = c.files.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (c.files[mid] < file) lo = mid + 1
    else if (c.files[mid] > file) hi = mid - 1
    else {
      const st = fs.statSync(rootSlash + file, { throwIfNoEntry: false })
      return !(
        st &&
        cacheSize(c, mid) === st.size &&
        cacheMtime(c, mid) === st.mtimeMs &&
        cacheCtime(c, mid) === st.ctimeMs &&
        cacheIno(c, mid) === st.ino &&
        Math.max(st.mtimeMs, st.ctimeMs) < trustBefore
      )
    }
  }
  return true
}

// kept on the post under symbols: invisible to JSON, spreads of keys and deep equality, and cheaper than a WeakMap
const PUBLISHED = Symbol('published ms')
const RAW = Symbol('data as JSON, or the cache that holds it')
const ROW = Symbol('row in the cache')
const VALUE = Symbol('data, once parsed')
type Loaded_ = Post & { [PUBLISHED]?: number; [RAW]?: Buffer | string | PostCache; [ROW]?: number; [VALUE]?: PostData }

/** A post's published time in ms, without reading its data when it came from the cache. */
export const publishedMs = (p: Post): number => (p as Loaded_)[PUBLISHED] ?? Date.parse(p.data.published)

// one accessor pair for every lazy post (an object literal's get/set would make two functions per post); the value is
// kept in a field every lazy post has from the start: redefining `data` as a plain value changed each post's shape
// (~40 ms for the 10,000 posts a build reads)
const LAZY_DATA: PropertyDescriptor = {
  get(this: Loaded_): PostData {
    const known = this[VALUE]
    if (known !== undefined) return known
    const raw = this[RAW]!
    const json = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString() : raw.bytes(this[ROW]!)!.toString()
    const value = withFullIds(JSON.parse(json) as PostData, this.author)
    this[VALUE] = value
    this[RAW] = undefined
    return value
  },
  set(this: Loaded_, value: PostData) {
    this[VALUE] = value
    this[RAW] = undefined
  },
  enumerable: true,
  configurable: true,
}

/** A post whose fields are parsed from the cache's bytes when first read, then kept as a plain value. */
function lazyPost(
  id: string,
  stem: string,
  file: string,
  hash: string,
  author: string,
  json: Buffer | string | PostCache,
  t: number,
  row = -1,
): Loaded_ {
  const post = { id, stem, file, hash, author } as Loaded_
  Object.defineProperty(post, 'data', LAZY_DATA)
  post[RAW] = json
  post[ROW] = row
  post[PUBLISHED] = t
  post[VALUE] = undefined
  return post
}

const stemOf = (file: string) => file.slice(file.lastIndexOf('/') + 1, -'.yaml'.length)

/** Row `i` of the cache, trusted: no copy of its row, its data a view of the cache's bytes. */
function addCached(posts: Post[], problems: Problem[], c: PostCache, i: number, file: string, fingerprint: string) {
  const e = c.extra(i)
  if (e?.[0].length) problems.push(...e[0])
  if (!cacheHasData(c, i)) return
  const stem = stemOf(file)
  // the cache and the row, not a view of its bytes: a view per post costs more than the few posts ever read
  posts.push(lazyPost(postId(fingerprint, stem), stem, file, c.hash(i), fingerprint, c, cachePublished(c, i), i))
}

function addPost(posts: Post[], problems: Problem[], row: Row, json: Buffer | string | null, fingerprint: string, data?: PostData | null) {
  if (row[9]?.length) problems.push(...row[9])
  if (json === null) return
  const file = row[0]
  const stem = stemOf(file)
  const id = postId(fingerprint, stem)
  if (!data) {
    posts.push(lazyPost(id, stem, file, row[5], fingerprint, json, row[6]))
    return
  }
  const post: Loaded_ = { id, stem, file, hash: row[5], author: fingerprint, data: withFullIds(data, fingerprint) }
  post[PUBLISHED] = row[6]
  posts.push(post)
}

/** The file's sha256 and the stat of the same open file. */
function hashFile(abs: string): { hash: string; size: number; mtimeMs: number; ctimeMs: number; ino: number } {
  const fd = fs.openSync(abs, 'r')
  try {
    const st = fs.fstatSync(fd)
    const hash = crypto.createHash('sha256').update(fs.readFileSync(fd)).digest('hex')
    return { hash, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino }
  } finally {
    fs.closeSync(fd)
  }
}

/** Sorts in place in the total order on posts: published instant, then id (each date parsed once). */
export function sortByPublished(posts: Post[]): Post[] {
  const keyed = posts.map((p) => ({ t: publishedMs(p), p }))
  keyed.sort((a, b) => a.t - b.t || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
  for (let i = 0; i < keyed.length; i++) posts[i] = keyed[i].p
  return posts
}

/** A reference to one of the author's own posts may be the bare stem; in memory every reference is a full id. */
function withFullIds(data: PostData, fingerprint: string): PostData {
  const fix = (v?: string) => (v && !v.includes('/') ? postId(fingerprint, v) : v)
  if (!data.inReplyTo?.length && !data.object?.length) return data
  return { ...data, ...(data.inReplyTo ? { inReplyTo: fix(data.inReplyTo) } : {}), ...(data.object ? { object: fix(data.object) } : {}) }
}

function attachmentsUnchanged(abs: string, c: PostCache, i: number, trustBefore: number): boolean {
  // a post's row keeps one [size, mtime] per attachment, so without them there is nothing to parse or stat
  const att = c.extra(i)?.[1] ?? []
  if (att.length === 0) return true
  const json = c.bytes(i)
  const atts = json === null ? [] : ((JSON.parse(json.toString()) as PostData).attachments ?? [])
  if (atts.length !== att.length) return false
  return atts.every((a, i) => {
    // lstat: a file swapped for a symlink to another file of the same size and time is checked again
    const st = fs.lstatSync(path.resolve(path.dirname(abs), a.path), { throwIfNoEntry: false })
    return st ? st.size === att[i][0] && st.mtimeMs === att[i][1] && st.mtimeMs < trustBefore : att[i][0] === -1
  })
}

/** Two files with one name in different folders. One author per load, so the stem decides (a short key hashes fast). */
function duplicateIds(posts: Post[]): Problem[] {
  const first = new Map<string, Post>()
  const out: Problem[] = []
  for (const p of posts) {
    const prev = first.get(p.stem)
    if (prev)
      out.push({
        file: p.file,
        line: 1,
        col: 1,
        message: `duplicate post id '${p.stem}': ${prev.file} has the same file name; rename one of them`,
      })
    else first.set(p.stem, p)
  }
  return out
}
