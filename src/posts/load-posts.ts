// Loads every post file under a folder: read, parse, validate, check attachments, give ids; cached by path, size and mtime.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { schemasVersion } from '../schemas/index.ts'
import { checkFile, type CacheEntry } from './check-file.ts'
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

/**
 * The cache: one row per file, `[file, size, mtimeMs, ctimeMs, ino, hash, data, problems?, att?]` (arrays parse faster
 * than objects). `checkedAt` is when the load that wrote it started: a file whose times are not clearly older than
 * that may have changed again within the file system's timestamp granularity, so it is re-read and compared by hash
 * before its row is trusted (git's "racily clean" rule). ctime and inode catch a file restored with an old mtime.
 */
interface CacheFile { version: string; checkedAt: number; rows: Row[] }
type Row = [string, number, number, number, number, string, PostData | null, Problem[]?, [number, number][]?]

/** Longer than any timestamp granularity we expect (FAT: 2 s; ext4, xfs, btrfs: a clock tick). */
const RACY_MS = 3000

export async function loadPosts(layout: Layout, opts: LoadOptions): Promise<Loaded> {
  const dir = opts.dir ?? layout.feed
  const cacheFile = opts.cacheFile === undefined ? path.join(layout.state, 'cache', 'posts.json') : opts.cacheFile
  const version = `2:${schemasVersion()}`
  const startedAt = Date.now()
  const old = cacheFile ? readCache(cacheFile, version) : undefined
  const trustBefore = (old?.checkedAt ?? 0) - RACY_MS
  const problems: Problem[] = []
  const posts: Post[] = []
  const rows: Row[] = []
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
      const attsSame = attachmentsUnchanged(abs, row[6], row[8], trustBefore)
      if (same && attsSame && Math.max(st.mtimeMs, st.ctimeMs) < trustBefore) {
        cached++
        rows.push(row)
        addPost(posts, problems, file, row[5], row[6], row[7], opts.fingerprint)
        continue
      }
      // racily clean, or touched: the same bytes mean the parse stands, only the times move
      const now = attsSame ? hashFile(abs) : undefined
      if (now && now.hash === row[5]) {
        cached++
        changed = true
        const r: Row = [file, now.size, now.mtimeMs, now.ctimeMs, now.ino, row[5], row[6]]
        if (row.length > 7) r.push(row[7], row[8])
        rows.push(r)
        addPost(posts, problems, file, row[5], row[6], row[7], opts.fingerprint)
        continue
      }
    }
    const entry: CacheEntry = checkFile(abs, file)
    changed = true
    const r: Row = [file, entry.size, entry.mtimeMs, entry.ctimeMs, entry.ino, entry.hash, entry.data]
    if (entry.problems.length || entry.att.length) r.push(entry.problems, entry.att)
    rows.push(r)
    addPost(posts, problems, file, entry.hash, entry.data, entry.problems, opts.fingerprint)
  }

  problems.push(...duplicateIds(posts))
  sortByPublished(posts)
  // rows re-read because they were racy are rewritten too, with this load's time, so they are trusted next time
  if (cacheFile && (changed || cached !== files.length || old!.rows.size !== files.length)) {
    await writeFileAtomic(cacheFile, JSON.stringify({ version, checkedAt: startedAt, rows } satisfies CacheFile))
  }
  return { posts, problems, stats: { files: files.length, cached } }
}

function addPost(posts: Post[], problems: Problem[], file: string, hash: string, data: PostData | null, rowProblems: Problem[] | undefined, fingerprint: string) {
  if (rowProblems?.length) problems.push(...rowProblems)
  if (!data) return
  const stem = file.slice(file.lastIndexOf('/') + 1, -'.yaml'.length)
  posts.push({ id: postId(fingerprint, stem), stem, file, hash, author: fingerprint, data: withFullIds(data, fingerprint) })
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
  const keyed = posts.map((p) => ({ t: Date.parse(p.data.published), p }))
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
    if (!ent.isFile() || ent.name.startsWith('.')) continue
    const parent = ent.parentPath ?? (ent as unknown as { path: string }).path
    const sub = parent.length > dir.length ? parent.slice(dir.length + 1).split(path.sep).join('/') + '/' : ''
    const rel = `${prefix ? `${prefix}/` : ''}${sub}${ent.name}`
    if (ent.name.endsWith('.yaml')) out.push(rel)
    else if (ent.name.endsWith('.yml')) problems.push({ file: rel, message: 'post files must end in .yaml; rename it to be read' })
  }
  return out.sort()
}

function attachmentsUnchanged(abs: string, data: PostData | null, att: [number, number][] = [], trustBefore: number): boolean {
  const atts = data?.attachments ?? []
  if (atts.length !== att.length) return false
  return atts.every((a, i) => {
    const st = fs.statSync(path.resolve(path.dirname(abs), a.path), { throwIfNoEntry: false })
    return st ? st.size === att[i][0] && st.mtimeMs === att[i][1] && st.mtimeMs < trustBefore : att[i][0] === -1
  })
}

function duplicateIds(posts: Post[]): Problem[] {
  const first = new Map<string, Post>()
  const out: Problem[] = []
  for (const p of posts) {
    const prev = first.get(p.id)
    if (prev) out.push({ file: p.file, line: 1, col: 1, message: `duplicate post id '${p.stem}': ${prev.file} has the same file name; rename one of them` })
    else first.set(p.id, p)
  }
  return out
}

function readCache(file: string, version: string): { checkedAt: number; rows: Map<string, Row> } | undefined {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile
    if (c.version !== version || !Array.isArray(c.rows) || typeof c.checkedAt !== 'number') return undefined
    return { checkedAt: c.checkedAt, rows: new Map(c.rows.map((r) => [r[0], r])) }
  } catch {
    return undefined
  }
}
