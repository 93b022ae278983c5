// The build's local state under .peerfeed/build/ (git-ignored, never published): this device's page plan and the
// lock for the whole feed, and one state folder per output tree (page cache, server manifest, input hash, render
// manifest). The cursor ledger itself is in the repo (ledger/, see ledger-log.ts).
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Layout } from '../paths.ts'
import { MANIFEST_FILE } from '../protocol/build-manifest.ts'
import { liveGeneration } from './generations.ts'

export const stateFiles = (l: Layout) => ({
  root: path.join(l.state, 'build'),
  /** the ledger of builds before it moved into the repo (ledger/); read once, to keep its cursors */
  ledger: path.join(l.state, 'build', 'ledger.json'),
  /** this device's page starts and group page-name keys */
  localLedger: path.join(l.state, 'build', 'pages.json'),
  lock: path.join(l.state, 'build', 'lock'),
})

/** The files of one tree's state folder (see generations.ts); the site's render manifest sits beside them. */
export const treeStateFiles = (dir: string) => ({
  pageCache: path.join(dir, 'page-cache.json'),
  boxes: path.join(dir, 'name-boxes.json'),
  manifest: path.join(dir, 'manifest.json'),
  inputs: path.join(dir, 'inputs.sha256'),
})

/** The tree dist/ points at now and its server manifest (before the first build of this version: dist/ and the old single file). */
export function liveBuild(l: Layout): { distDir: string; manifest: string } {
  const g = liveGeneration(l.dist, stateFiles(l).root)
  return g
    ? { distDir: g.dir, manifest: treeStateFiles(g.stateDir).manifest }
    : { distDir: l.dist, manifest: path.join(l.state, MANIFEST_FILE) }
}

/** The state folder of the live tree, if there is one. */
export const liveStateDir = (l: Layout) => liveGeneration(l.dist, stateFiles(l).root)?.stateDir

/** State files of builds before tree state folders existed; removed by the first build that commits without them. */
export const legacyStateFiles = (l: Layout) =>
  ['page-cache.json', 'name-boxes.json', 'inputs.sha256', 'trees.json', 'manifest.json', 'site'].map((f) => path.join(l.state, 'build', f))

export async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return fallback
  }
}
