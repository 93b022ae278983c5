// "Nothing changed" without loading keys, posts, openpgp or Eleventy: the live tree's input snapshot
// (input-snapshot.ts) against the files as they are now. Imported by `peerfeed build` before the build itself.
import { acquireLock } from '../fs-lock.ts'
import type { Layout } from '../paths.ts'
import type { BuildManifest } from '../protocol/build-manifest.ts'
import type { BuildOptions, BuildResult } from './build.ts'
import { liveTree } from './generations.ts'
import { unchangedSince } from './input-snapshot.ts'
import { liveStateDir, readJson, stateFiles, treeStateFiles } from './state.ts'

/** A build's figures when it changed nothing. */
export const emptyStats = (posts: number, ms: number): BuildResult['stats'] => ({
  posts,
  publicPosts: 0,
  privatePosts: 0,
  newVersions: 0,
  tombstones: 0,
  pagesEncrypted: 0,
  pagesReused: 0,
  publicPagesSigned: 0,
  siteRendered: 0,
  siteSkipped: 0,
  ms,
})

/** The result of a build that would find nothing changed, when the snapshot proves it; undefined when a build must run. */
export async function unchangedResult(layout: Layout, t0 = performance.now()): Promise<BuildResult | undefined> {
  const liveState = liveStateDir(layout)
  if (!liveState || !(await liveTree(layout.dist))) return undefined
  const snap = unchangedSince(layout, liveState)
  if (!snap) return undefined
  const manifest = await readJson<BuildManifest | null>(treeStateFiles(liveState).manifest, null)
  if (!manifest) return undefined
  return {
    dist: layout.dist,
    changed: false,
    manifest,
    warnings: snap.warnings,
    stats: emptyStats(snap.posts, performance.now() - t0),
  }
}

/** As `buildFeed` would answer when nothing changed (under the same lock), or undefined: then run `buildFeed`. */
export async function quickBuild(layout: Layout, opts: BuildOptions = {}): Promise<BuildResult | undefined> {
  if (opts.full) return undefined
  const t0 = performance.now()
  const release = await acquireLock(stateFiles(layout).lock, { what: 'build', waitMs: opts.lockWaitMs, onWait: opts.onLockWait })
  try {
    return await unchangedResult(layout, t0)
  } finally {
    await release()
  }
}
