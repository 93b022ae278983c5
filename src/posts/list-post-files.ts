// Lists the post files under a folder, one folder at a time. With `reuse`, a folder whose modification time, change
// time and inode are what the cache recorded (and clearly older than the cache) is not listed again, and its files'
// rows stand without a stat of each file: for folders written only by renames (the inbox, which sync writes by
// temp file + rename), every new, replaced or removed file changes its folder's times. An edit in place does not:
// callers that show a post check its file first (load-posts.ts `stale`).
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import type { DirStamp, PostCache } from './post-cache.ts'

export interface Listing {
  /** post files relative to the feed root, sorted */
  files: string[]
  /** every folder walked, with its times before it was listed (mtime -1: it had problems, list it every time) */
  dirs: DirStamp[]
  /** folders whose files' rows stand as cached */
  trusted: Set<string>
}

const YML = 'post files must end in .yaml; rename it to be read'
const LINK =
  'is a symbolic link; posts and attachments must be regular files inside the feed, so nothing in or under it is published — replace the link with the file itself'
const NOT_REGULAR = 'is not a regular file (a pipe, socket or device); remove it from the feed'

const parentOf = (rel: string) => rel.slice(0, Math.max(0, rel.lastIndexOf('/')))

export function listPostFiles(dir: string, root: string, problems: Problem[], reuse?: { old: PostCache; trustBefore: number }): Listing {
  const out: string[] = []
  const dirs: DirStamp[] = []
  const trusted = new Set<string>()
  const prefix = path.relative(root, dir).split(path.sep).join('/')
  const oldDirs = new Map((reuse?.old.dirs ?? []).map((d) => [d[0], d]))
  let filesOf: Map<string, string[]> | undefined
  const cachedFiles = (rel: string) => {
    if (!filesOf) {
      filesOf = new Map()
      for (const f of reuse!.old.files) {
        const p = parentOf(f)
        const list = filesOf.get(p)
        if (list) list.push(f)
        else filesOf.set(p, [f])
      }
    }
    return filesOf.get(rel) ?? []
  }
  const walk = (abs: string, rel: string) => {
    let st: fs.Stats
    try {
      st = fs.statSync(abs)
    } catch (e) {
      if (rel === prefix && (e as NodeJS.ErrnoException).code === 'ENOENT') return
      throw e
    }
    const stamp: DirStamp = [rel, st.mtimeMs, st.ctimeMs, st.ino]
    dirs.push(stamp)
    const was = oldDirs.get(rel)
    if (
      reuse &&
      was &&
      was[1] === st.mtimeMs &&
      was[2] === st.ctimeMs &&
      was[3] === st.ino &&
      Math.max(st.mtimeMs, st.ctimeMs) < reuse.trustBefore
    ) {
      trusted.add(rel)
      for (const f of cachedFiles(rel)) out.push(f)
      for (const d of reuse.old.dirs)
        if (d[0] !== rel && parentOf(d[0]) === rel) walk(`${abs}${path.sep}${d[0].slice(rel.length + 1)}`, d[0])
      return
    }
    const before = problems.length
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const name = ent.name
      const r = rel ? `${rel}/${name}` : name
      // hidden entries are skipped, but not what a hidden folder holds (as node's recursive listing had it)
      if (name.charCodeAt(0) === 46 /* . */) {
        if (ent.isDirectory()) walk(`${abs}${path.sep}${name}`, r)
        continue
      }
      if (ent.isFile()) {
        if (name.endsWith('.yaml')) out.push(r)
        else if (name.endsWith('.yml')) problems.push({ file: r, message: YML })
      } else if (ent.isDirectory()) walk(`${abs}${path.sep}${name}`, r)
      // a symlink could bring in any file of the machine (~/.ssh/id_rsa); the listing does not follow it
      else if (ent.isSymbolicLink())
        problems.push({
          file: r,
          message: LINK,
        })
      else problems.push({ file: r, message: NOT_REGULAR })
    }
    // its problems are found by listing it, so it is listed every time
    if (problems.length > before) stamp[1] = -1
  }
  walk(dir, prefix)
  return { files: out.sort(), dirs, trusted }
}

/**
 * The same listing from files already listed with their modes (lstat's: a link is a link), as the build's input scan
 * has them (relative to the root, with `/`, every file under the folder): no folder is read again. Folders are not
 * stamped (for loads that do not trust folders' times).
 */
export function listFromModes(entries: readonly [string, number][], problems: Problem[]): Listing {
  const out: string[] = []
  for (const [r, mode] of entries) {
    const name = r.slice(r.lastIndexOf('/') + 1)
    // hidden entries are skipped; what a hidden folder holds is listed (as listPostFiles walks it)
    if (name.charCodeAt(0) === 46 /* . */) continue
    const type = mode & fs.constants.S_IFMT
    if (type === fs.constants.S_IFREG) {
      if (name.endsWith('.yaml')) out.push(r)
      else if (name.endsWith('.yml')) problems.push({ file: r, message: YML })
    } else if (type === fs.constants.S_IFLNK)
      problems.push({
        file: r,
        message: LINK,
      })
    else if (type !== fs.constants.S_IFDIR) problems.push({ file: r, message: NOT_REGULAR })
  }
  return { files: out.sort(), dirs: [], trusted: new Set() }
}
