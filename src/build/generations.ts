// Atomic output: each build fills a fresh folder beside dist/ (hard links to the previous build's files) and
// then points the `dist` symlink at it in one rename, so a server reading dist/ never sees a half-built site.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

const genPrefix = (dist: string) => `.${path.basename(dist)}-`

/** The folder the `dist` symlink points to now, if any. */
export async function currentGeneration(dist: string): Promise<string | undefined> {
  const st = await fs.lstat(dist).catch(() => undefined)
  if (!st) return undefined
  if (st.isSymbolicLink()) return path.resolve(path.dirname(dist), await fs.readlink(dist))
  if (st.isDirectory()) return dist
  throw new PeerFeedError('DIST_NOT_DIR', `${dist} exists and is not a folder; move it away and build again`)
}

/** A new generation folder holding hard links to every file of the current one. */
export async function startGeneration(dist: string, now = Date.now()): Promise<string> {
  const gen = path.join(path.dirname(dist), `${genPrefix(dist)}${now}-${crypto.randomBytes(3).toString('hex')}`)
  await fs.mkdir(gen, { recursive: true })
  const cur = await currentGeneration(dist)
  if (cur) await linkTree(cur, gen)
  return gen
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

/** Points `dist` at `gen` atomically and removes generations older than the previous one. */
export async function commitGeneration(dist: string, gen: string): Promise<void> {
  const parent = path.dirname(dist)
  const old = await currentGeneration(dist)
  if (old === dist) {
    // a plain folder from an older build: keep it aside as a generation, so the swap stays one rename
    const aside = path.join(parent, `${genPrefix(dist)}0-legacy`)
    await fs.rm(aside, { recursive: true, force: true })
    await fs.rename(dist, aside)
  }
  const tmpLink = path.join(parent, `${genPrefix(dist)}link-${crypto.randomBytes(3).toString('hex')}`)
  await fs.symlink(path.basename(gen), tmpLink)
  await fs.rename(tmpLink, dist)
  const keep = new Set([path.basename(gen), old && old !== dist ? path.basename(old) : ''])
  for (const name of await fs.readdir(parent)) {
    if (name.startsWith(genPrefix(dist)) && !keep.has(name) && !name.includes('-link-')) {
      await fs.rm(path.join(parent, name), { recursive: true, force: true })
    }
  }
}

/** Throws away an unfinished generation (a failed build leaves dist/ as it was). */
export async function abandonGeneration(gen: string): Promise<void> {
  await fs.rm(gen, { recursive: true, force: true })
}
