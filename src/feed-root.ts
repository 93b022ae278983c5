// Finding the feed a command works on: like git, walk up from the current folder to the nearest feed root.
import fs from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from './errors.ts'

/** A folder is a feed root when `peerfeed init` made it: it has peerfeed.yaml or keys/self.asc. */
export function isFeedRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'peerfeed.yaml')) || fs.existsSync(path.join(dir, 'keys', 'self.asc'))
}

/** The nearest feed root at or above `start`, or undefined. */
export function findFeedRoot(start: string): string | undefined {
  let dir = path.resolve(start)
  for (;;) {
    if (isFeedRoot(dir)) return dir
    const up = path.dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

/**
 * The feed root for a command: `explicit` (from --root) must itself be a feed; otherwise the nearest one at or
 * above `cwd`. Outside a feed this refuses, so nothing is ever written into a folder that is not one.
 */
export function requireFeedRoot(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit !== undefined) {
    const dir = path.resolve(cwd, explicit)
    if (isFeedRoot(dir)) return dir
    throw new PeerFeedError(
      'NOT_A_FEED',
      `${dir} is not a PeerFeed feed (it has no peerfeed.yaml or keys/self.asc); run \`peerfeed init --root ${explicit}\` to make one, or give the right --root.`,
    )
  }
  const found = findFeedRoot(cwd)
  if (found) return found
  throw new PeerFeedError(
    'NOT_A_FEED',
    `${path.resolve(cwd)} is not inside a PeerFeed feed (no peerfeed.yaml or keys/self.asc here or in any parent folder); run \`peerfeed init\` to make one here, or cd into your feed, or pass --root DIR.`,
  )
}
