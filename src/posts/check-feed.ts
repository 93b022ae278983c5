// `check`: every problem in posts, keys and groups, each with its file and line, in one list.
import type { Problem } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { loadPosts, type Loaded } from './load-posts.ts'
import { audienceOf } from './types.ts'

export interface Checked extends Loaded {
  fingerprint: string
}

export async function checkFeed(layout: Layout): Promise<Checked> {
  const { checkIdentity, audienceNames, selfFingerprint } = await import('../identity/index.ts')
  const fingerprint = (await selfFingerprint(layout)) ?? 'self'
  const loaded = await loadPosts(layout, { fingerprint })
  const problems: Problem[] = [...loaded.problems, ...(await checkIdentity(layout))]
  const names = await audienceNames(layout)
  for (const post of loaded.posts) {
    for (const name of audienceOf(post.data)) {
      if (name !== 'public' && !names.has(name)) {
        problems.push({ file: post.file, message: `'to' names '${name}', who is neither a friend (keys/${name}.asc) nor a group (groups/${name}.yaml); add them or fix the name` })
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))
  return { ...loaded, problems, fingerprint }
}
