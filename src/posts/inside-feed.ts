// Posts and attachments are regular files inside the feed: no symlink on the way, nothing outside it.
import fs from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

/**
 * Why `rel` (relative to the folder `base`) is not a regular file reached without symlinks, or undefined when it is
 * (or does not exist: that is the caller's "not found"). Every component from `base` down is checked with lstat.
 */
export function insideProblem(base: string, rel: string): string | undefined {
  const parts = path
    .normalize(rel)
    .split(path.sep)
    .filter((p) => p && p !== '.')
  if (path.isAbsolute(rel) || parts.includes('..')) return "points outside the post's folder"
  let at = base
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part)
    const st = fs.lstatSync(at, { throwIfNoEntry: false })
    if (!st) return undefined
    if (st.isSymbolicLink())
      return i === parts.length - 1 ? 'is a symbolic link' : `lies under a symbolic link (${parts.slice(0, i + 1).join('/')})`
    if (i === parts.length - 1 && !st.isFile()) return 'is not a regular file'
  }
  return undefined
}

/** Reads an attachment for publishing or encryption, refusing anything `insideProblem` refuses (checked again at use). */
export function readInside(base: string, rel: string): Buffer {
  const why = insideProblem(base, rel)
  if (why)
    throw new PeerFeedError('NOT_INSIDE_FEED', `attachment ${rel} ${why}; it is not read — put the file itself beside the post`, {
      file: path.join(base, rel),
    })
  const fd = fs.openSync(path.join(base, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  try {
    return fs.readFileSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
