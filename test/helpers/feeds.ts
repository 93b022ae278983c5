// Post files written directly (no validation, no commit), with a chosen date and stem; every file under a folder.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Layout } from '../../src/paths.ts'
import { serializePost } from '../../src/posts/write-post.ts'

let counter = 0
/** Writes a post file under feed/YYYY/MM/; returns its stem. */
export async function writeTestPost(f: { layout: Layout }, data: Record<string, unknown>, stem?: string): Promise<string> {
  const published = (data.published as string) ?? new Date(Date.UTC(2026, 10, 24, 9, 0, counter++)).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const s = stem ?? `${published.replace(/:/g, '-')}-p${counter++}`
  const file = path.join(f.layout.feed, published.slice(0, 4), published.slice(5, 7), `${s}.yaml`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, serializePost({ type: 'status', published, ...data }))
  return s
}

/** Every file under a folder (following the dist symlink), relative paths. */
export async function allFiles(dir: string): Promise<string[]> {
  const real = await fs.realpath(dir)
  const out = await fs.readdir(real, { recursive: true, withFileTypes: true })
  return out.filter((e) => e.isFile()).map((e) => path.relative(real, path.join(e.parentPath, e.name)))
}
