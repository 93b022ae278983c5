// `check`: every problem in posts, keys and groups, each with its file and line, in one list.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Problem } from '../errors.ts'
import { positionOf } from './parse-post.ts'
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
    for (const [i, name] of audienceOf(post.data).entries()) {
      if (name !== 'public' && !names.has(name)) {
        const text = await fs.readFile(path.join(layout.root, post.file), 'utf8')
        const at = positionOf(text, typeof post.data.to === 'string' ? ['to'] : ['to', i])
        problems.push({ file: post.file, ...at, message: `'to' names '${name}', who is neither a friend (keys/${name}.asc) nor a group (groups/${name}.yaml); add them or fix the name` })
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))
  return { ...loaded, problems, fingerprint }
}
