// Writing, editing and deleting my posts, each committed: the one path the CLI and the app share.
import fs from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import { commitPaths, isRepo } from '../git.ts'
import type { Layout } from '../paths.ts'
import { parsePost } from './parse-post.ts'
import type { PostData } from './types.ts'
import { serializePost, type NewPost, type Written } from './write-post.ts'
import { createPost } from './create-post.ts'
import { audienceProblems, loadAudienceContext } from './check-audience.ts'

export interface Saved extends Written {
  /** the commit, or undefined when the feed is not a git repository or `commit` was false */
  commit?: string
}

/** Checks everything `check` would (createPost), then writes and commits one new post. */
export async function savePost(
  layout: Layout,
  post: NewPost,
  { commit = true, now = new Date() }: { commit?: boolean; now?: Date } = {},
): Promise<Saved> {
  const { file, stem, paths, commit: sha } = await createPost(layout, post, { commit, now })
  return { file, stem, paths, commit: sha }
}

/**
 * Replaces the fields of my post in `file` (relative to the root) with `data`, keeping its name (so its id), its
 * published time and its attachments (their alt text may change); sets `updated`. Validated before writing.
 */
export async function editPost(
  layout: Layout,
  file: string,
  data: Partial<PostData>,
  { now = new Date(), alts }: { now?: Date; alts?: string[] } = {},
): Promise<Saved> {
  const abs = resolveOwn(layout, file)
  const old = parse(await fs.readFile(abs, 'utf8')) as PostData
  if (data.type && data.type !== old.type)
    throw new PeerFeedError('TYPE_CHANGE', `a ${old.type} post cannot become a ${data.type} post; write a new one instead`)
  const attachments = old.attachments?.map((a, i) => (alts?.[i] !== undefined ? { ...a, alt: alts[i] } : a))
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const next: Record<string, unknown> = { ...data, type: old.type, published: old.published, updated: [stamp, old.published].sort()[1] }
  if (attachments?.length) next.attachments = attachments
  const text = serializePost(next)
  const parsed = parsePost(text, file)
  const problems = parsed.data
    ? audienceProblems(parsed.data, file, () => text, await loadAudienceContext(layout)).filter((p) => !p.warning)
    : parsed.problems
  if (problems.length)
    throw new PeerFeedError(
      'INVALID_POST',
      `the edit is not valid, nothing was written:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    )
  await writeFileAtomic(abs, text)
  const stem = path.basename(file, '.yaml')
  return { file, stem, paths: [file], commit: await commitIfRepo(layout, [file], `edit: ${stem}`) }
}

/** Removes my post in `file` and its attachments, in one commit; the next build sends peers its tombstone. */
export async function deletePost(layout: Layout, file: string): Promise<Saved> {
  const abs = resolveOwn(layout, file)
  const old = parse(await fs.readFile(abs, 'utf8')) as PostData
  const dir = path.dirname(abs)
  const paths = [file]
  for (const a of old.attachments ?? []) {
    const p = path.resolve(dir, a.path)
    if (path.dirname(p) !== dir) continue // only files beside the post are its own
    await fs.rm(p, { force: true })
    paths.push(path.relative(layout.root, p).split(path.sep).join('/'))
  }
  await fs.rm(abs)
  const stem = path.basename(file, '.yaml')
  return { file, stem, paths, commit: await commitIfRepo(layout, paths, `delete: ${stem}`) }
}

function resolveOwn(layout: Layout, file: string): string {
  const abs = path.resolve(layout.root, file)
  if (!abs.startsWith(layout.feed + path.sep) || !abs.endsWith('.yaml'))
    throw new PeerFeedError('NOT_MINE', `${file} is not one of your posts under feed/`)
  return abs
}

async function commitIfRepo(layout: Layout, paths: string[], message: string): Promise<string | undefined> {
  if (!(await isRepo(layout.root))) return undefined
  return commitPaths(layout.root, paths, message)
}
