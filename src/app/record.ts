// Changes to friends and groups made in the app are committed like the CLI's: one commit each, only those files.
import { isRepo } from '../git.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'

/** Commits the changed files among `paths` (relative to the root; deletions too) when the feed is a git repository. */
export async function record(l: Layout, paths: string[], message: string): Promise<string | undefined> {
  if (!paths.length || !(await isRepo(l.root))) return undefined
  const { simpleGit } = await import('simple-git')
  const git = simpleGit(l.root)
  const status = await git.raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...paths])
  const changed = status
    .split('\0')
    .filter((f) => f.length > 3)
    .map((f) => f.slice(3))
  if (!changed.length) return undefined
  try {
    // -A stages deletions too; only the changed files among `paths` are committed
    await git.raw(['add', '-A', '--', ...changed])
    return (await git.commit(message, changed)).commit || undefined
  } catch (e) {
    throw new PeerFeedError('GIT_FAILED', `the change was made but not committed: ${(e as Error).message.trim()}`, { cause: e })
  }
}
