// Atomic output with two trees beside dist/ (`.dist-a`, `.dist-b`): a build brings the idle tree up to date by
// replaying the files the last build changed, writes its own changes there, then points the `dist` symlink at
// it in one rename. A server reading dist/ never sees a half-built site, and a build costs what it changes.
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'

interface State {
  live: 'a' | 'b' | null
  /** paths the last build wrote or removed in the live tree, which the idle tree has not got yet */
  pending: string[]
  /** the idle tree was left half-written by a failed build: rebuild it from the live one */
  dirty: boolean
}

const treeOf = (dist: string, t: 'a' | 'b') => path.join(path.dirname(dist), `.${path.basename(dist)}-${t}`)

async function readState(file: string): Promise<State> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as State
  } catch {
    return { live: null, pending: [], dirty: false }
  }
}

/** Makes the idle tree equal to the live one and returns it; the build then writes into it. */
export async function prepareTarget(dist: string, stateFile: string): Promise<string> {
  let state = await readState(stateFile)
  const st = await fs.lstat(dist).catch(() => undefined)
  if (st && !st.isSymbolicLink()) {
    if (!st.isDirectory()) throw new PeerFeedError('DIST_NOT_DIR', `${dist} exists and is not a folder; move it away and build again`)
    // a plain folder from an older build: it becomes the live tree; a full copy brings the other one up
    await fs.rm(treeOf(dist, 'a'), { recursive: true, force: true })
    await fs.rename(dist, treeOf(dist, 'a'))
    await fs.symlink(path.basename(treeOf(dist, 'a')), dist)
    state = { live: 'a', pending: [], dirty: true }
  } else if (!st || state.live === null) {
    state = { live: null, pending: [], dirty: true }
  }
  const target = state.live === 'a' ? 'b' : 'a'
  const targetDir = treeOf(dist, target)
  const liveDir = state.live ? treeOf(dist, state.live) : undefined
  await writeFileAtomic(stateFile, JSON.stringify({ ...state, dirty: true } satisfies State))
  if (state.dirty || !(await fs.stat(targetDir).catch(() => undefined))) {
    await fs.rm(targetDir, { recursive: true, force: true })
    await fs.mkdir(targetDir, { recursive: true })
    if (liveDir) await linkTree(liveDir, targetDir)
  } else if (liveDir) {
    for (const rel of state.pending) await replay(liveDir, targetDir, rel)
  }
  return targetDir
}

/** Points dist at the tree the build wrote; `changed` is what the next build must replay into the other tree. */
export async function commitTarget(dist: string, stateFile: string, targetDir: string, changed: Iterable<string>): Promise<void> {
  const tmpLink = `${dist}.swap-${process.pid}`
  await fs.rm(tmpLink, { force: true })
  await fs.symlink(path.basename(targetDir), tmpLink)
  await fs.rename(tmpLink, dist)
  const live = targetDir === treeOf(dist, 'a') ? 'a' : 'b'
  await writeFileAtomic(stateFile, JSON.stringify({ live, pending: [...changed].sort(), dirty: false } satisfies State))
}

/** The tree dist/ points at now, if any. */
export async function liveTree(dist: string): Promise<string | undefined> {
  return fs.realpath(dist).catch(() => undefined)
}

async function replay(from: string, to: string, rel: string) {
  const src = path.join(from, rel)
  const dst = path.join(to, rel)
  await fs.rm(dst, { force: true })
  if (await fs.stat(src).then((s) => s.isFile(), () => false)) {
    await fs.mkdir(path.dirname(dst), { recursive: true })
    await fs.link(src, dst)
  }
}

async function linkTree(from: string, to: string) {
  for (const ent of await fs.readdir(from, { withFileTypes: true })) {
    const a = path.join(from, ent.name)
    const b = path.join(to, ent.name)
    if (ent.isDirectory()) {
      await fs.mkdir(b)
      await linkTree(a, b)
    } else if (ent.isFile()) {
      await fs.link(a, b)
    }
  }
}
