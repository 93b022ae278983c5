// Reads, hashes, parses and validates post files and checks their attachments.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { parsePost, positionOf } from './parse-post.ts'
import type { PostData } from './types.ts'
import { humanBytes, MAX_POST_BYTES } from './limits.ts'
import { insideProblem } from './inside-feed.ts'

export interface CacheEntry {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
  hash: string
  data: PostData | null
  problems: Problem[]
  /** size and mtime of each attachment when it was checked */
  att: [number, number][]
}

/** Checks `files` (relative to `rootSlash`). Tried in worker threads too: on 2 cores the start-up of a worker
 * (loader, yaml, ajv, schemas) ate the gain at 10,000 files, so it stays on one thread (docs/post-format.md). */
export function checkFiles(rootSlash: string, files: string[]): [string, CacheEntry][] {
  return files.map((f) => [f, checkFile(rootSlash + f, f)])
}

export function checkFile(abs: string, file: string): CacheEntry {
  // O_NOFOLLOW: a post that became a symlink since it was listed is not read through
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  let bytes: Buffer
  let st: fs.Stats
  try {
    st = fs.fstatSync(fd)
    if (!st.isFile() || st.size > MAX_POST_BYTES) {
      const message = st.isFile()
        ? `the post file is ${humanBytes(st.size)}; a post file may be at most ${humanBytes(MAX_POST_BYTES)} — put big content in an attachment`
        : 'not a regular file; a post must be a plain file inside the feed'
      return {
        size: st.size,
        mtimeMs: st.mtimeMs,
        ctimeMs: st.ctimeMs,
        ino: st.ino,
        hash: '',
        data: null,
        problems: [{ file, message }],
        att: [],
      }
    }
    bytes = fs.readFileSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  const hash = crypto.createHash('sha256').update(bytes).digest('hex')
  const text = bytes.toString('utf8')
  const { data, problems } = parsePost(text, file)
  const att: [number, number][] = []
  if (data?.attachments) {
    data.attachments.forEach((a, i) => {
      const target = path.resolve(path.dirname(abs), a.path)
      const outside = insideProblem(path.dirname(abs), a.path)
      if (outside) {
        problems.push({
          file,
          ...positionOf(text, ['attachments', i, 'path']),
          message: `attachments[${i}]: '${a.path}' ${outside}; it is never published or encrypted — put the file itself beside the post`,
        })
        att.push([-1, -1])
        return
      }
      const ast = fs.lstatSync(target, { throwIfNoEntry: false })
      if (!ast?.isFile()) {
        problems.push({
          file,
          ...positionOf(text, ['attachments', i, 'path']),
          message: `attachments[${i}]: file '${a.path}' not found beside the post; add it or fix the path`,
        })
        att.push([-1, -1])
        return
      }
      att.push([ast.size, ast.mtimeMs])
      if (a.size !== undefined && a.size !== ast.size) {
        problems.push({
          file,
          ...positionOf(text, ['attachments', i, 'size']),
          message: `attachments[${i}]: '${a.path}' is ${ast.size} bytes, the post says ${a.size}; the file changed — update size and sha256`,
        })
      }
      if (a.sha256) {
        const h = crypto.createHash('sha256').update(fs.readFileSync(target)).digest('hex')
        if (h !== a.sha256)
          problems.push({
            file,
            ...positionOf(text, ['attachments', i, 'sha256']),
            message: `attachments[${i}]: sha256 of '${a.path}' does not match (file has ${h}); the file changed or the hash is wrong`,
          })
      }
    })
  }
  const ok = problems.length === 0
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, hash, data: ok ? data! : null, problems, att }
}
