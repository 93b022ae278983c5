// Atomic output with two trees beside dist/ (`.dist-a`, `.dist-b`), each with a state folder of its own
// (.peerfeed/build/tree-a/, tree-b/: render manifest, page cache, server manifest, input hash). The commit point is
// one rename: the `dist` symlink names the live tree, and the live tree's state folder describes exactly that tree.
// A build writes only the idle tree and its state, and marks that state complete (`tree.json`, written last) just
// before the swap; so a build killed at any moment leaves the live tree and its state as the last good build left
// them, and the next build starts from those. See docs/build.md, "Atomic builds".
import fs from 'node:fs/promises'
import fsSync from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import { reached } from './kill-points.ts'

type Tree = 'a' | 'b'

/** `tree.json`: present only once the tree and its state are complete. */
interface TreeState {
  v: 1
  /** generation number: one more than the tree it was built from */
  gen: number
  /** the generation this tree was built from (null: from nothing) */
  parent: number | null
  /** paths written or removed relative to the parent's tree */
  changed: string[]
}

export interface Generation {
  /** the tree this build writes (the idle one) */
  dir: string
  /** its state folder; the build reads the previous state from here too (hard links of the live tree's files) */
  stateDir: string
  gen: number
  parent: number | null
}

const TREE_STATE = 'tree.json'
const other = (t: Tree): Tree => (t === 'a' ? 'b' : 'a')
const treeDir = (dist: string, t: Tree) => path.join(path.dirname(dist), `.${path.basename(dist)}-${t}`)
const stateDirOf = (stateRoot: string, t: Tree) => path.join(stateRoot, `tree-${t}`)

/** Which tree the `dist` symlink names, if it is one of ours. */
function pointedTree(dist: string): Tree | undefined {
  let target: string
  try {
    target = fsSync.readlinkSync(dist)
  } catch {
    return undefined
  }
  const base = path.basename(target)
  for (const t of ['a', 'b'] as const) if (base === path.basename(treeDir(dist, t))) return t
  return undefined
}

function readTreeState(stateDir: string): TreeState | undefined {
  try {
    const s = JSON.parse(fsSync.readFileSync(path.join(stateDir, TREE_STATE), 'utf8')) as TreeState
    return s.v === 1 && Number.isInteger(s.gen) && Array.isArray(s.changed) ? s : undefined
  } catch {
    return undefined
  }
}

/**
 * The tree `dist` points at and its state folder, if that tree was committed by a build that keeps state folders.
 * One readlink and one stat: the server reads the build manifest from this folder, so the manifest always matches
 * the tree it serves.
 */
export function liveGeneration(dist: string, stateRoot: string): { dir: string; stateDir: string } | undefined {
  const t = pointedTree(dist)
  if (!t) return undefined
  const stateDir = stateDirOf(stateRoot, t)
  // existence is enough (tree.json is written last, by rename), and cheap: the server asks on every API request
  return fsSync.existsSync(path.join(stateDir, TREE_STATE)) ? { dir: treeDir(dist, t), stateDir } : undefined
}

/**
 * Makes the idle tree equal to the live one (or empty when there is no known live tree, or `fresh`), gives it a
 * state folder holding the live tree's state files, and returns it. The live tree and its state are only read.
 */
export async function prepareGeneration(dist: string, stateRoot: string, { fresh = false } = {}): Promise<Generation> {
  for (const f of await fs.readdir(path.dirname(dist)).catch(() => [] as string[])) {
    if (f.startsWith(`${path.basename(dist)}.swap-`)) await fs.rm(path.join(path.dirname(dist), f), { force: true })
  }
  const st = await fs.lstat(dist).catch(() => undefined)
  if (st && !st.isSymbolicLink()) {
    if (!st.isDirectory()) throw new PeerFeedError('DIST_NOT_DIR', `${dist} exists and is not a folder; move it away and build again`)
    // a plain folder from an older PeerFeed: it moves aside and keeps being served; the new tree is built from nothing
    await fs.rm(treeDir(dist, 'a'), { recursive: true, force: true })
    await fs.rename(dist, treeDir(dist, 'a'))
    await fs.symlink(path.basename(treeDir(dist, 'a')), dist)
  }
  const pointed = pointedTree(dist)
  const target: Tree = pointed ? other(pointed) : 'a'
  const dir = treeDir(dist, target)
  const stateDir = stateDirOf(stateRoot, target)
  const liveState = pointed ? readTreeState(stateDirOf(stateRoot, pointed)) : undefined
  const idleState = readTreeState(stateDir)
  // from here on the idle tree is incomplete until commitGeneration writes its tree.json again
  await fs.rm(path.join(stateDir, TREE_STATE), { force: true })
  reached('prepare')
  await fs.rm(stateDir, { recursive: true, force: true })
  await fs.mkdir(stateDir, { recursive: true })
  const liveDir = pointed && treeDir(dist, pointed)
  if (!liveState || !liveDir || fresh) {
    await fs.rm(dir, { recursive: true, force: true })
    await fs.mkdir(dir, { recursive: true })
    return { dir, stateDir, gen: (liveState?.gen ?? 0) + 1, parent: null }
  }
  // the previous state, as hard links: every state write is temp file + rename, so the live tree's files stay as they are
  const liveStateFolder = stateDirOf(stateRoot, pointed)
  for (const f of await fs.readdir(liveStateFolder)) {
    if (f !== TREE_STATE && !f.endsWith('.tmp')) await fs.link(path.join(liveStateFolder, f), path.join(stateDir, f))
  }
  // the idle tree is either the live tree's parent or a child of it that was never swapped in; then it differs from
  // the live tree only at the paths one of them changed; anything else is copied afresh (as hard links)
  const replaySet =
    idleState && idleState.gen === liveState.parent
      ? liveState.changed
      : idleState && idleState.parent === liveState.gen
        ? idleState.changed
        : undefined
  if (replaySet && (await fs.stat(dir).catch(() => undefined))?.isDirectory()) {
    for (const rel of replaySet) await replay(liveDir, dir, rel)
  } else {
    await fs.rm(dir, { recursive: true, force: true })
    await fs.mkdir(dir, { recursive: true })
    await linkTree(liveDir, dir)
  }
  return { dir, stateDir, gen: liveState.gen + 1, parent: liveState.gen }
}

/**
 * Marks the idle tree complete, then points dist at it with one rename: the commit. `changed` is every path the build
 * wrote or removed, which the next build replays into the other tree.
 */
export async function commitGeneration(dist: string, g: Generation, changed: Iterable<string>): Promise<void> {
  const state: TreeState = { v: 1, gen: g.gen, parent: g.parent, changed: [...changed].sort() }
  await writeFileAtomic(path.join(g.stateDir, TREE_STATE), JSON.stringify(state))
  reached('complete')
  const tmpLink = `${dist}.swap-${process.pid}`
  await fs.rm(tmpLink, { force: true })
  await fs.symlink(path.basename(g.dir), tmpLink)
  await fs.rename(tmpLink, dist)
  reached('swapped')
}

/**
 * After a build from nothing (the first, or `--full`): makes the idle tree a copy of the live one (hard links) and
 * marks it as the live tree's child that differs at no path, so the next build starts by replaying its own changes
 * only, instead of linking the whole tree. Its `tree.json` is written last: killed before that, the next build links
 * the tree itself, as it always did.
 */
export async function mirrorIdle(dist: string, stateRoot: string, live: Generation): Promise<void> {
  const pointed = pointedTree(dist)
  if (!pointed || treeDir(dist, pointed) !== live.dir) return
  const idle = other(pointed)
  const dir = treeDir(dist, idle)
  const stateDir = stateDirOf(stateRoot, idle)
  await fs.rm(path.join(stateDir, TREE_STATE), { force: true })
  await fs.rm(dir, { recursive: true, force: true })
  await fs.mkdir(dir, { recursive: true })
  await linkTree(live.dir, dir)
  reached('mirror')
  await fs.mkdir(stateDir, { recursive: true })
  const state: TreeState = { v: 1, gen: live.gen + 1, parent: live.gen, changed: [] }
  await writeFileAtomic(path.join(stateDir, TREE_STATE), JSON.stringify(state))
}

/** The tree dist/ points at now, if any. */
export async function liveTree(dist: string): Promise<string | undefined> {
  return fs.realpath(dist).catch(() => undefined)
}

async function replay(from: string, to: string, rel: string) {
  const src = path.join(from, rel)
  const dst = path.join(to, rel)
  await fs.rm(dst, { force: true })
  if (
    await fs.lstat(src).then(
      (s) => s.isFile(),
      () => false,
    )
  ) {
    await fs.mkdir(path.dirname(dst), { recursive: true })
    await fs.link(src, dst)
    return
  }
  // a removed file's folders go too once empty, as they went in the live tree
  for (let d = path.dirname(rel); d !== '.' && d !== '' && d !== '/'; d = path.dirname(d)) {
    if (
      !(await fs.rmdir(path.join(to, d)).then(
        () => true,
        () => false,
      ))
    )
      break
  }
}

/** Hard links every file of `from` into `to` (which exists): sync calls, a pause for the event loop between folders. */
async function linkTree(from: string, to: string) {
  for (const ent of fsSync.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, ent.name)
    const b = path.join(to, ent.name)
    if (ent.isDirectory()) {
      fsSync.mkdirSync(b)
      await linkTree(a, b)
    } else if (ent.isFile() && !ent.name.endsWith('.tmp')) {
      fsSync.linkSync(a, b)
    }
  }
  await new Promise((r) => setImmediate(r))
}
