// The one path for a new post, used by `peerfeed post` and the app: check everything `check` would, then write, then commit.
import { PeerFeedError, formatProblem, type Problem } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { audienceProblems, loadAudienceContext } from './check-audience.ts'
import { preparePost, writePrepared, type NewPost, type Written } from './write-post.ts'
import { audienceOf } from './types.ts'

export interface CreateOptions {
  /** commit the new files (default true; a feed that is not a git repo is written but not committed) */
  commit?: boolean
  now?: Date
}

export interface Created extends Written {
  /** the commit's sha, when committed */
  commit?: string
  /** why it was not committed, when it was not */
  notCommitted?: string
}

/**
 * Validates a post fully — schema, attachments, audience names, an audience that is not entirely blocked,
 * the identity files the audience depends on, short ids in `inReplyTo`/`object` — and only then writes and commits.
 * On any problem nothing is written.
 */
export async function createPost(layout: Layout, post: NewPost, opts: CreateOptions = {}): Promise<Created> {
  const data = { ...post.data }
  const { resolvePostRef } = await import('../timeline/short-ids.ts')
  if (typeof data.inReplyTo === 'string') data.inReplyTo = await resolvePostRef(layout, data.inReplyTo)
  if (typeof data.object === 'string') data.object = await resolvePostRef(layout, data.object)
  const prepared = await preparePost(layout, { ...post, data }, opts.now)

  const problems: Problem[] = []
  const ctx = await loadAudienceContext(layout)
  // a new post nobody would receive is refused outright (for existing posts check and build only warn)
  problems.push(...audienceProblems(prepared.data, prepared.file, () => prepared.text, ctx))
  problems.push(...(await identityProblemsFor(layout, audienceOf(prepared.data), ctx)))
  if (problems.length) {
    throw new PeerFeedError(
      'INVALID_POST',
      `the post was not written:\n${problems.map((p) => `  ${formatProblem(p, p.message)}`).join('\n')}`,
    )
  }

  const written = await writePrepared(layout, prepared)
  if (opts.commit === false) return written
  const { isRepo, commitPaths } = await import('../git.ts')
  if (!(await isRepo(layout.root))) return { ...written, notCommitted: 'not a git repository (run `peerfeed init` to make one)' }
  return { ...written, commit: await commitPaths(layout.root, written.paths, `post: ${written.stem}`) }
}

/** Problems in the files this post's audience depends on: my key, the named friends' keys and groups, their members. */
async function identityProblemsFor(
  layout: Layout,
  names: string[],
  ctx: Awaited<ReturnType<typeof loadAudienceContext>>,
): Promise<Problem[]> {
  const { checkIdentity } = await import('../identity/index.ts')
  const files = new Set(['keys/self.asc'])
  for (const n of names) {
    if (n === 'public') continue
    files.add(`keys/${n}.asc`)
    files.add(`groups/${n}.yaml`)
    for (const m of ctx.groups.get(n) ?? []) files.add(`keys/${m}.asc`)
  }
  // errors only: a friend's expired key (a warning) does not stop a post to a group they are in
  return (await checkIdentity(layout)).filter((p) => files.has(p.file) && !p.warning)
}
