// What the live tree was built from, file by file (git's index, applied to a build): the path, size, mtime, ctime and
// inode of every file a build reads. `peerfeed build` compares the feed against it before it loads a key, a post or
// Eleventy, and when every file is as it was answers "nothing changed" after a few thousand stats.
//
// The snapshot sits in the live tree's state folder (generations.ts), written after the swap, so it always describes
// the tree dist/ points at; a build removes the copy its new tree inherits before writing anything. A file whose
// mtime or ctime is not clearly older than the moment it was recorded may change again within the file system's
// timestamp granularity with the same size (git's "racily clean" files): those are recorded with the sha256 of their
// bytes and compared by content. Keys with an expiry date bound the snapshot's life: past it, a full check runs.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import type { FileStat } from '../posts/load-posts.ts'

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** as in load-posts.ts: longer than any timestamp granularity we expect (FAT: 2 s) */
const RACY_MS = 3000
export const SNAPSHOT_FILE = 'inputs.snapshot.json'

/** `[size, mtimeMs, ctimeMs, ino, sha256?]`; `[-1]` for a file that was absent */
type Entry = [number, number?, number?, number?, string?]
type Entries = Record<string, Entry>

export interface InputSnapshot {
  v: 1
  dist: string
  /** when the files were stat'ed (ms) */
  at: number
  /** the git state was stat'ed at the end of the build (its own commit changes it) */
  gitAt: number
  /** the snapshot stands only before this time (ms): the first key expiry to come */
  validUntil: number | null
  posts: number
  warnings: Problem[]
  files: Entries
  git: Entries
}

/** Folders (every file under them) and single files a build reads, relative to the root (absolute: PeerFeed's own). */
function inputs(l: Layout): { trees: string[]; files: string[] } {
  const rel = (p: string) => path.relative(l.root, p)
  return {
    trees: [
      rel(l.feed),
      rel(l.keys),
      rel(l.groups),
      rel(l.templates),
      'ledger',
      rel(path.join(l.state, 'sync', 'keys')),
      rel(path.join(l.state, 'old-keys')),
      path.join(PACKAGE_ROOT, 'templates', 'site'),
    ],
    files: [
      rel(l.config),
      rel(l.selfSecretKey),
      rel(l.blocked),
      rel(l.follows),
      rel(path.join(l.state, 'device.json')),
      path.join(PACKAGE_ROOT, 'package.json'),
    ],
  }
}

const GIT = { trees: ['.git/refs'], files: ['.git/HEAD', '.git/MERGE_HEAD', '.git/index', '.git/packed-refs'] }

/**
 * Every file under `trees` and each of `files`, stat'ed; racy ones (relative to `at`) hashed. With `modes`, each
 * file's mode is noted there, and a tree that could not be listed whole is named in `modes.failed`.
 */
function scan(root: string, set: { trees: string[]; files: string[] }, at: number, hashRacy: boolean, modes?: Modes): Entries {
  const out: Entries = {}
  const rootSep = root.endsWith(path.sep) ? root : root + path.sep
  const abs = (p: string) => (path.isAbsolute(p) ? p : rootSep + p)
  const add = (key: string) => {
    const st = fs.lstatSync(abs(key), { throwIfNoEntry: false })
    if (!st) {
      out[key] = [-1]
      return
    }
    const e: Entry = [st.size, st.mtimeMs, st.ctimeMs, st.ino]
    if (modes) modes.of.set(key, st.mode)
    if (hashRacy && racy(e, at)) e[4] = hashOf(abs(key))
    out[key] = e
  }
  for (const tree of set.trees) {
    const dir = abs(tree)
    let ents: fs.Dirent[]
    try {
      ents = fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') modes?.failed.add(tree)
      continue
    }
    for (const ent of ents) {
      if (ent.isDirectory()) continue
      const parent = ent.parentPath ?? (ent as unknown as { path: string }).path
      add(parent.length > dir.length ? `${tree}${parent.slice(dir.length)}${path.sep}${ent.name}` : `${tree}${path.sep}${ent.name}`)
    }
  }
  for (const f of set.files) add(f)
  return out
}

const racy = (e: Entry, at: number) => Math.max(e[1] ?? 0, e[2] ?? 0) >= at - RACY_MS

/** A regular file's sha256; undefined for anything else (a pipe in the feed would block a read; a link is not followed). */
function hashOf(file: string): string | undefined {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW)
    if (!fs.fstatSync(fd).isFile()) return undefined
    return crypto.createHash('sha256').update(fs.readFileSync(fd)).digest('hex')
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** Each scanned file's mode (lstat: a symbolic link is one), and the trees that could not be listed. */
export interface Modes {
  of: Map<string, number>
  failed: Set<string>
}

/** Recorded at the start of a build, before anything is read. */
export interface StartScan {
  at: number
  files: Entries
  modes: Modes
}

/**
 * The files of one scanned folder (relative to the root, with `/`), each with its mode and its stat as the scan
 * recorded it: the build lists and checks its posts from them instead of walking and stat'ing the feed again. A file
 * that changes after the scan is seen by the next build, whose snapshot comparison starts from this same scan.
 * undefined when the folder could not be listed whole (list it the usual way, to report why).
 */
export function scannedTree(
  l: Layout,
  start: StartScan,
  dir: string,
): { files: [string, number][]; stat: (file: string) => FileStat | undefined } | undefined {
  const tree = path.relative(l.root, dir)
  if (start.modes.failed.has(tree)) return undefined
  const prefix = tree + path.sep
  const files: [string, number][] = []
  const toSlash = path.sep === '/' ? (k: string) => k : (k: string) => k.split(path.sep).join('/')
  for (const [k, mode] of start.modes.of) if (k.startsWith(prefix)) files.push([toSlash(k), mode])
  const fromSlash = path.sep === '/' ? (f: string) => f : (f: string) => f.split('/').join(path.sep)
  const stat = (file: string): FileStat | undefined => {
    const e = start.files[fromSlash(file)]
    return e && e[0] !== -1 ? { size: e[0], mtimeMs: e[1]!, ctimeMs: e[2]!, ino: e[3]! } : undefined
  }
  return { files, stat }
}

export function scanStart(l: Layout, now = Date.now()): StartScan {
  // the scan unchangedSince just made will do: a stat taken earlier is only more cautious
  const prev = lastScan?.root === l.root && now - lastScan.at < 10_000 ? lastScan : undefined
  lastScan = undefined
  if (!prev) {
    const modes: Modes = { of: new Map(), failed: new Set() }
    return { at: now, files: scan(l.root, inputs(l), now, true, modes), modes }
  }
  const files = prev.files
  for (const [k, e] of Object.entries(files)) if (e[0] !== -1 && racy(e, prev.at)) e[4] = hashOf(path.resolve(l.root, k))
  return { at: prev.at, files, modes: prev.modes }
}

/** The file scan of the last unchangedSince that found a change, for the build that follows (one process). */
let lastScan: { root: string; at: number; files: Entries; modes: Modes } | undefined

/**
 * Writes the snapshot of a build that finished (or found nothing changed) into the live tree's state folder. The files
 * this build wrote itself (its device's ledger file) are stat'ed again, as is git's state after its commit.
 */
export async function writeSnapshot(
  l: Layout,
  stateDir: string,
  start: StartScan,
  v: { posts: number; warnings: Problem[]; validUntil: number | null; ownFiles: string[] },
): Promise<void> {
  const files = { ...start.files }
  const at = Date.now()
  // written by this build, under its lock: what is there now is what it wrote
  for (const f of v.ownFiles) {
    const key = path.relative(l.root, f)
    Object.assign(files, scan(l.root, { trees: [], files: [key] }, at, true))
  }
  const snap: InputSnapshot = {
    v: 1,
    dist: l.dist,
    at: start.at,
    gitAt: at,
    validUntil: v.validUntil,
    posts: v.posts,
    warnings: v.warnings,
    files,
    git: scan(l.root, GIT, at, true),
  }
  // only a shortcut: a failed write costs the next build its speed, never its result
  await writeFileAtomic(path.join(stateDir, SNAPSHOT_FILE), JSON.stringify(snap)).catch(() => {})
}

/** Removes the snapshot a new tree's state folder inherited (as a hard link) from the live one. */
export const dropSnapshot = (stateDir: string) => fs.rmSync(path.join(stateDir, SNAPSHOT_FILE), { force: true })

/** The live tree's snapshot, when every input is still as it records (and no key expired since): else undefined. */
export function unchangedSince(l: Layout, stateDir: string, now = Date.now()): InputSnapshot | undefined {
  let snap: InputSnapshot
  try {
    snap = JSON.parse(fs.readFileSync(path.join(stateDir, SNAPSHOT_FILE), 'utf8')) as InputSnapshot
  } catch {
    return undefined
  }
  if (snap.v !== 1 || snap.dist !== l.dist || (snap.validUntil !== null && now >= snap.validUntil)) return undefined
  const same = (recorded: Entries, current: Entries, at: number) => {
    const keys = Object.keys(current)
    if (keys.length !== Object.keys(recorded).length) return false
    for (const k of keys) {
      const a = recorded[k]
      const b = current[k]
      if (!a || a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2] || a[3] !== b[3]) return false
      // a file that was racy when recorded is trusted only by its content
      if (a[0] !== -1 && racy(a, at) && (a[4] === undefined || a[4] !== hashOf(path.resolve(l.root, k)))) return false
    }
    return true
  }
  const at = Date.now()
  const modes: Modes = { of: new Map(), failed: new Set() }
  const files = scan(l.root, inputs(l), snap.at, false, modes)
  if (same(snap.files, files, snap.at) && same(snap.git, scan(l.root, GIT, snap.gitAt, false), snap.gitAt)) return snap
  lastScan = { root: l.root, at, files, modes }
  return undefined
}
