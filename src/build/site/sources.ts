// Reads what the site is made from besides posts: the templates (hashed as a whole), static assets, schema files, attachments.
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Post } from '../../posts/types.ts'
import type { Problem } from '../../errors.ts'
import { sha256 } from './hash.ts'
import { paths } from './urls.ts'
import { attachmentFiles } from './views.ts'
import { insideProblem } from '../../posts/inside-feed.ts'

/** Bump when the view objects or page planning change shape, so old manifests stop matching. */
export const RENDERER_VERSION = 'site-1'

export const DEFAULT_SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url))

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

/** One hash over every template file (not assets/): any change re-renders every page. */
export async function hashTemplates(templatesDir: string): Promise<string> {
  const files = (await listFiles(templatesDir)).filter((f) => !f.startsWith('assets/'))
  const parts = [RENDERER_VERSION]
  for (const f of files) parts.push(f, sha256(await fs.readFile(path.join(templatesDir, f))))
  return sha256(parts.join('\0'))
}

/** A file the site copies as it is, with the hash that decides whether it must be copied again. */
export interface CopySpec {
  out: string
  from: string
  hash: string
}

/** Everything under `<templates>/assets/` → `/assets/…`. */
export async function assetCopies(templatesDir: string): Promise<CopySpec[]> {
  const dir = path.join(templatesDir, 'assets')
  return Promise.all(
    (await listFiles(dir)).map(async (f) => {
      const from = path.join(dir, f)
      return { out: paths.asset(f), from, hash: sha256(await fs.readFile(from)) }
    }),
  )
}

/** Every `*.schema.json` → `/schemas/<name>.schema.json`, published so other programs can read and write feeds. */
export async function schemaCopies(schemasDir: string): Promise<CopySpec[]> {
  const names = (await fs.readdir(schemasDir).catch(() => [] as string[])).filter((n) => n.endsWith('.schema.json')).sort()
  return Promise.all(
    names.map(async (n) => {
      const from = path.join(schemasDir, n)
      return { out: paths.schema(n), from, hash: sha256(await fs.readFile(from)) }
    }),
  )
}

/**
 * Attachments, copied beside their post's page. Resolved relative to the post file under `root`; a path that leaves
 * the feed root or a missing file is a problem, not a crash. The copy is keyed by the recorded sha256 and the file's
 * size and mtime, so an unchanged image costs one stat per build.
 */
export function attachmentCopies(root: string, posts: Post[], slugs: Map<string, string>): { copies: CopySpec[]; problems: Problem[] } {
  const copies: CopySpec[] = []
  const problems: Problem[] = []
  const rootAbs = path.resolve(root)
  // Synchronous stats: thousands of cached stats in a loop beat the thread pool by an order of magnitude.
  for (const post of posts) {
    for (const { att, name } of attachmentFiles(post)) {
      const from = path.resolve(rootAbs, path.dirname(post.file), att.path)
      if (from !== rootAbs && !from.startsWith(rootAbs + path.sep)) {
        problems.push({ file: post.file, message: `attachment ${att.path} is outside the feed folder; not published` })
        continue
      }
      const why = insideProblem(path.resolve(rootAbs, path.dirname(post.file)), att.path)
      if (why) {
        problems.push({ file: post.file, message: `attachment ${att.path} ${why}; not published` })
        continue
      }
      const st = fsSync.lstatSync(from, { throwIfNoEntry: false })
      if (!st?.isFile()) {
        problems.push({ file: post.file, message: `attachment ${att.path} not found; the page shows it missing` })
        continue
      }
      copies.push({ out: paths.postDir(slugs.get(post.id)!) + name, from, hash: sha256(`${att.sha256 ?? ''}:${st.size}:${st.mtimeMs}`) })
    }
  }
  return { copies, problems }
}
