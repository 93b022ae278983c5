// Loads every post file under a folder: read, parse, validate, check attachments, give ids; cached by path, size and mtime.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { schemasVersion } from '../schemas/index.ts'
import { checkFile, type CacheEntry } from './check-file.ts'
import { PostCacheWriter, readPostCache, type Row } from './post-cache.ts'
import type { Post, PostData } from './types.ts'
import { postId } from './ids.ts'

export interface LoadOptions {
  /** The author's key fingerprint; ids are `<fingerprint>/<stem>`. */
  fingerprint: string
  /** The folder to read (default: the feed). Inbox folders use the same layout. */
  dir?: string
  /** Where to keep the parse cache; `false` disables it. */
  cacheFile?: string | false
}

export interface Loaded {
  posts: Post[]
  problems: Problem[]
  stats: { files: number; cached: number }
}

/** Longer than any timestamp granularity we expect (FAT: 2 s; ext4, xfs, btrfs: a clock tick). */
const RACY_MS = 3000

/**
 * Every post file under a folder, checked, through a cache (post-cache.ts) keyed by size, mtime, ctime and inode.
 * The cache records when the load that wrote it started (`checkedAt`): a file whose times are not clearly older than
 * that may have changed again within the file system's timestamp granularity, so it is re-read and compared by hash
 * before its row is trusted (git's "racily clean" rule). ctime and inode catch a file restored with an old mtime.
 */
export async function loadPosts(layout: Layout, opts: LoadOptions): Promise<Loaded> {
  const dir = opts.dir ?? layout.feed
  const cacheFile = opts.cacheFile === undefined ? path.join(layout.state, 'cache', 'posts.cache') : opts.cacheFile
  const version = `3:${schemasVersion()}`
  const startedAt = Date.now()
  const old = cacheFile ? readPostCache(cacheFile, version) : undefined
  const trustBefore = (old?.checkedAt ?? 0) - RACY_MS
  const problems: Problem[] = []
  const posts: Post[] = []
  const out = new PostCacheWriter()
  let cached = 0
  let changed = !old

  const files = listPostFiles(dir, layout.root, problems)
  const rootSlash = layout.root.endsWith(path.sep) ? layout.root : layout.root + path.sep
  for (const file of files) {
    const abs = rootSlash + file
    const row = old?.rows.get(file)
    if (row) {
      const st = fs.statSync(abs)
      const same = row[1] === st.size && row[2] === st.mtimeMs && row[3] === st.ctimeMs && row[4] === st.ino
      const bytes = old!.bytes(row)
      const attsSame = attachmentsUnchanged(abs, bytes, row[10], trustBefore)
      if (same && attsSame && Math.max(st.mtimeMs, st.ctimeMs) < trustBefore) {
        cached++
        addPost(posts, problems, out.add(row, bytes), bytes, opts.fingerprint)
        continue
      }
      // racily clean, or touched: the same bytes mean the parse stands, only the times move
      const now = attsSame ? hashFile(abs) : undefined
      if (now && now.hash === row[5]) {
        cached++
        changed = true
        const r: Row = [file, now.size, now.mtimeMs, now.ctimeMs, now.ino, row[5], row[6], -1, 0]
        if (row.length > 9) r.push(row[9], row[10])
        addPost(posts, problems, out.add(r, bytes), bytes, opts.fingerprint)
        continue
      }
    }
    const entry: CacheEntry = checkFile(abs, file)
    changed = true
    const t = entry.data ? Date.parse(entry.data.published) : 0
    const r: Row = [file, entry.size, entry.mtimeMs, entry.ctimeMs, entry.ino, entry.hash, t, -1, 0]
    if (entry.problems.length || entry.att.length) r.push(entry.problems, entry.att)
    const json = entry.data && JSON.stringify(entry.data)
    addPost(posts, problems, out.add(r, json), json, opts.fingerprint, entry.data)
  }

  problems.push(...duplicateIds(posts))
  sortByPublished(posts)
  // rows re-read because they were racy are rewritten too, with this load's time, so they are trusted next time
  if (cacheFile && (changed || cached !== files.length || old!.rows.size !== files.length)) {
    // only a cache: a full disk costs the next run its speed, not this run its result (and leaves no temp file)
    await writeFileAtomic(cacheFile, out.bytes(version, startedAt)).catch(() => {})
  }
  return { posts, problems, stats: { files: files.length, cached } }
}

// kept on the post under symbols: invisible to JSON, spreads of keys and deep equality, and cheaper than a WeakMap
const PUBLISHED = Symbol('published ms')
const RAW = Symbol('data as JSON')
type Loaded_ = Post & { [PUBLISHED]?: number; [RAW]?: Buffer | string }

/** A post's published time in ms, without reading its data when it came from the cache. */
export const publishedMs = (p: Post): number => (p as Loaded_)[PUBLISHED] ?? Date.parse(p.data.published)

function addPost(posts: Post[], problems: Problem[], row: Row, json: Buffer | string | null, fingerprint: string, data?: PostData | null) {
  if (row[9]?.length) problems.push(...row[9])
  if (json === null) return
  const file = row[0]
  const stem = file.slice(file.lastIndexOf('/') + 1, -'.yaml'.length)
  const id = postId(fingerprint, stem)
  const post: Loaded_ = data
    ? { id, stem, file, hash: row[5], author: fingerprint, data: withFullIds(data, fingerprint) }
    : {
        id,
        stem,
        file,
        hash: row[5],
        author: fingerprint,
        [RAW]: json,
        // parsed on first read, then kept as a plain value
        get data(): PostData {
          const value = withFullIds(JSON.parse(String(this[RAW])) as PostData, this.author)
          Object.defineProperty(this, 'data', { value, writable: true, enumerable: true, configurable: true })
          return value
        },
        set data(value: PostData) {
          Object.defineProperty(this, 'data', { value, writable: true, enumerable: true, configurable: true })
        },
      }
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

function listPostFiles(dir: string, root: string, problems: Problem[]): string[] {
  if (!fs.existsSync(dir)) return []
  const out: string[] = []
  const prefix = path.relative(root, dir).split(path.sep).join('/')
  for (const ent of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (ent.name.startsWith('.')) continue
    const parent = ent.parentPath ?? (ent as unknown as { path: string }).path
    const sub =
      parent.length > dir.length
        ? `${parent
            .slice(dir.length + 1)
            .split(path.sep)
            .join('/')}/`
        : ''
    const rel = `${prefix ? `${prefix}/` : ''}${sub}${ent.name}`
    // a symlink could bring in any file of the machine (~/.ssh/id_rsa); a recursive listing does not follow it
    if (ent.isSymbolicLink()) {
      problems.push({
        file: rel,
        message:
          'is a symbolic link; posts and attachments must be regular files inside the feed, so nothing in or under it is published — replace the link with the file itself',
      })
      continue
    }
    if (!ent.isFile()) {
      if (!ent.isDirectory())
        problems.push({ file: rel, message: 'is not a regular file (a pipe, socket or device); remove it from the feed' })
      continue
    }
    if (ent.name.endsWith('.yaml')) out.push(rel)
    else if (ent.name.endsWith('.yml')) problems.push({ file: rel, message: 'post files must end in .yaml; rename it to be read' })
  }
  return out.sort()
}

function attachmentsUnchanged(abs: string, json: Buffer | null, att: [number, number][] = [], trustBefore: number): boolean {
  // a post's row keeps one [size, mtime] per attachment, so without them there is nothing to parse or stat
  if (att.length === 0) return true
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
