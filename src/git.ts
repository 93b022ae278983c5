// The few git operations the feed needs, through simple-git: init a repo, commit the files a command wrote.
import { simpleGit } from 'simple-git'
import { PeerFeedError } from './errors.ts'

export async function isRepo(root: string): Promise<boolean> {
  return simpleGit(root).checkIsRepo('root' as never).catch(() => false)
}

export async function initRepo(root: string): Promise<boolean> {
  if (await isRepo(root)) return false
  await simpleGit(root).init()
  return true
}

/** Commits exactly `paths` (relative to root) with `message`; other staged or unstaged changes are left alone. */
export async function commitPaths(root: string, paths: string[], message: string): Promise<string> {
  const git = simpleGit(root)
  try {
    await git.add(paths)
    const r = await git.commit(message, paths)
    return r.commit
  } catch (e) {
    throw new PeerFeedError('GIT_FAILED', `the post was written but not committed: ${(e as Error).message.trim()}\n  commit it yourself with: git -C ${root} commit`, { cause: e })
  }
}
