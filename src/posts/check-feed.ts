// `check`: every problem in posts, keys and groups, each with its file and line, in one list.
import fs from 'node:fs'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { audienceProblems, loadAudienceContext } from './check-audience.ts'
import type { Layout } from '../paths.ts'
import { loadPosts, type Loaded, type LoadOptions } from './load-posts.ts'
import { audienceOf } from './types.ts'

export interface Checked extends Loaded {
  fingerprint: string
}

/** `scanned`: the feed's files as the build's input scan found them (load-posts.ts). */
export async function checkFeed(layout: Layout, { scanned }: Pick<LoadOptions, 'scanned'> = {}): Promise<Checked> {
  const { checkIdentity, selfFingerprint } = await import('../identity/index.ts')
  const fingerprint = (await selfFingerprint(layout)) ?? 'self'
  const loaded = await loadPosts(layout, { fingerprint, scanned })
  const problems: Problem[] = [...loaded.problems, ...(await checkIdentity(layout))]
  const ctx = await loadAudienceContext(layout)
  for (const post of loaded.posts) {
    if (audienceOf(post.data).every((n) => n === 'public')) continue
    const text = () => fs.readFileSync(path.join(layout.root, post.file), 'utf8')
    problems.push(...audienceProblems(post.data, post.file, text, ctx))
  }
  // warnings (`warning: true`) stay in the one list: check prints them, build goes on
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))
  return { ...loaded, problems, fingerprint }
}
