// Loads every post file under a folder: read, parse, validate, check attachments, give ids; cached by path, size and mtime.
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { schemasVersion } from '../schemas/index.ts'
import { checkFiles, type CacheEntry } from './check-file.ts'
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

interface CacheFile { version: string; entries: Record<string, CacheEntry> }

export async function loadPosts(layout: Layout, opts: LoadOptions): Promise<Loaded> {
  const dir = opts.dir ?? layout.feed
  const cacheFile = opts.cacheFile === undefined ? path.join(layout.state, 'cache', 'posts.json') : opts.cacheFile
  const version = `1:${schemasVersion()}`
  const old = cacheFile ? readCache(cacheFile, version) : {}
  const fresh: Record<string, CacheEntry> = {}
  const problems: Problem[] = []
  const posts: Post[] = []
  let cached = 0

  const files = listPostFiles(dir, layout.root, problems)
  const rootSlash = layout.root.endsWith(path.sep) ? layout.root : layout.root + path.sep
  const misses: string[] = []
  for (const file of files) {
    const abs = rootSlash + file
    const st = fs.statSync(abs)
    const entry: CacheEntry | undefined = old[file]
    if (entry && entry.size === st.size && entry.mtimeMs === st.mtimeMs && attachmentsUnchanged(abs, entry)) {
      cached++
      fresh[file] = entry
    } else misses.push(file)
  }
  for (const [file, entry] of checkFiles(rootSlash, misses)) fresh[file] = entry
  for (const file of files) {
    const entry = fresh[file]
    problems.push(...entry.problems)
    if (entry.data) {
      const stem = file.slice(file.lastIndexOf('/') + 1, -'.yaml'.length)
      posts.push({ id: postId(opts.fingerprint, stem), stem, file, hash: entry.hash, author: opts.fingerprint, data: withFullIds(entry.data, opts.fingerprint) })
    }
  }

  problems.push(...duplicateIds(posts))
  sortByPublished(posts)
  if (cacheFile && (cached !== files.length || Object.keys(old).length !== files.length)) {
    await writeFileAtomic(cacheFile, JSON.stringify({ version, entries: fresh } satisfies CacheFile))
  }
  return { posts, problems, stats: { files: files.length, cached } }
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

function attachmentsUnchanged(abs: string, entry: CacheEntry): boolean {
  const atts = entry.data?.attachments ?? []
  if (atts.length !== entry.att.length) return entry.att.length === 0 && atts.length === 0
  return atts.every((a, i) => {
    const st = fs.statSync(path.resolve(path.dirname(abs), a.path), { throwIfNoEntry: false })
    return st ? st.size === entry.att[i][0] && st.mtimeMs === entry.att[i][1] : entry.att[i][0] === -1
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

function readCache(file: string, version: string): Record<string, CacheEntry> {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile
    return c.version === version ? c.entries : {}
  } catch {
    return {}
  }
}
