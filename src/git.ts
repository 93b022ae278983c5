// The few git operations the feed needs: init a repo, commit the files a command wrote, check the history before a
// build. Checks every build makes run plain `git`; simple-git is loaded only by the commands that commit posts.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from './errors.ts'

const simpleGit = async (root: string) => (await import('simple-git')).simpleGit(root)

/** `root` is the top of a repository's working tree (its .git is right there: not a sub-folder, not a worktree). */
export async function isRepo(root: string): Promise<boolean> {
  const dir = await gitOut(root, ['rev-parse', '--git-dir'])
  return dir !== undefined && /^\.(git)?$/.test(dir.trim())
}

export async function initRepo(root: string): Promise<boolean> {
  if (await isRepo(root)) return false
  await (await simpleGit(root)).init()
  return true
}

/** Runs git in `root`; rejects with git's own message when it fails. */
export function runGit(root: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: root }, (e, _out, err) => (e ? reject(new Error(err.trim() || e.message)) : resolve()))
  })
}

/** Commits exactly `files` (relative to root) with `message` through plain git; throws when git fails. */
export async function commitFiles(root: string, files: string[], message: string): Promise<void> {
  await runGit(root, ['add', '--', ...files])
  await runGit(root, ['commit', '-q', '-m', message, '--', ...files])
}

/** Commits exactly `paths` (relative to root) with `message`; other staged or unstaged changes are left alone. */
export async function commitPaths(root: string, paths: string[], message: string, { waitMs = 10_000 } = {}): Promise<string> {
  const git = await simpleGit(root)
  const until = Date.now() + waitMs
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await git.add(paths)
        const r = await git.commit(message, paths)
        return r.commit
      } catch (e) {
        // another git command holds the index for a moment (a build committing its ledger, `git status`): wait our turn
        if (!/index\.lock/.test((e as Error).message) || Date.now() > until) throw e
        await new Promise((r) => setTimeout(r, Math.min(500, 50 * attempt)))
      }
    }
  } catch (e) {
    throw new PeerFeedError(
      'GIT_FAILED',
      `the post was written but not committed: ${(e as Error).message.trim()}\n  commit it yourself with: git -C ${root} commit`,
      { cause: e },
    )
  }
}

/** Where this repo stands against its upstream; `undefined` outside a git repo. */
export interface HistoryState {
  /** a merge was started and not committed (MERGE_HEAD), or files are still in conflict */
  merging: boolean
  conflicted: string[]
  upstream: string | null
  ahead: number
  behind: number
}

/** Two plain `git` runs (no untracked scan, no simple-git): every build asks, so it must cost little. */
export async function historyState(root: string): Promise<HistoryState | undefined> {
  const where = await gitOut(root, ['rev-parse', '--git-dir', '--git-path', 'MERGE_HEAD'])
  if (where === undefined) return undefined
  const [gitDir, mergeHead] = where.split('\n')
  // the same rule as isRepo: only at the top of a repository's own working tree
  if (!/^\.(git)?$/.test(gitDir?.trim() ?? '')) return undefined
  const st = await gitOut(root, ['status', '--porcelain=v2', '--branch', '--untracked-files=no', '-z'])
  if (st === undefined) return undefined
  const h: HistoryState = {
    merging: fs.existsSync(path.resolve(root, mergeHead ?? 'MERGE_HEAD')),
    conflicted: [],
    upstream: null,
    ahead: 0,
    behind: 0,
  }
  for (const rec of st.split('\0')) {
    if (rec.startsWith('# branch.upstream ')) h.upstream = rec.slice('# branch.upstream '.length)
    const ab = /^# branch\.ab \+(\d+) -(\d+)$/.exec(rec)
    if (ab) [h.ahead, h.behind] = [Number(ab[1]), Number(ab[2])]
    // `u <xy> <sub> <m1> <m2> <m3> <mW> <h1> <h2> <h3> <path>`: a file still in conflict
    if (rec.startsWith('u ')) h.conflicted.push(rec.split(' ').slice(10).join(' '))
  }
  return h
}

/** A git command's output, or undefined when it fails (not a repo, no git). */
function gitOut(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (e, stdout) => resolve(e ? undefined : stdout.replace(/\n$/, '')))
  })
}

/**
 * Refuses to go on when this device's history and another's have diverged (as far as the last fetch knows) or a
 * merge is half done: cursors must be handed out on a merged ledger. The message holds the git commands. `state`:
 * historyState(root) asked a moment before (git runs in its own process while the caller loads its modules).
 */
export async function assertMerged(root: string, what = 'build', state?: Promise<HistoryState | undefined>): Promise<void> {
  const h = await (state ?? historyState(root))
  if (!h) return
  if (h.merging || h.conflicted.length) {
    const files = h.conflicted.length ? ` (${h.conflicted.slice(0, 5).join(', ')}${h.conflicted.length > 5 ? ', …' : ''} in conflict)` : ''
    throw new PeerFeedError(
      'MERGE_IN_PROGRESS',
      `a git merge is not finished${files}; finish it before you ${what}:\n` +
        `  git -C ${root} status          # see what is left\n` +
        `  (edit the files in conflict, then) git -C ${root} add FILE…\n` +
        `  git -C ${root} commit`,
    )
  }
  if (h.upstream && h.ahead > 0 && h.behind > 0) {
    throw new PeerFeedError(
      'DIVERGED',
      `this feed and ${h.upstream} have diverged (${h.ahead} commit(s) here, ${h.behind} there): another device changed the feed. ` +
        `Merge before you ${what}, so every device hands out cursors from the same ledger:\n` +
        `  git -C ${root} pull --no-rebase     # or: git -C ${root} merge ${h.upstream}\n` +
        `  git -C ${root} push                 # so the other device gets this one's lines too`,
    )
  }
}

/**
 * Records a change to the social graph or settings (init, peer, group, settings) as its own commit: only the
 * changed files among `paths` (files or folders, relative to root), never a secret key. Returns the commit's
 * sha, or undefined when nothing changed or the feed is not a git repository.
 */
export async function commitChanges(root: string, paths: string[], message: string): Promise<string | undefined> {
  if (!(await isRepo(root))) return undefined
  const git = await simpleGit(root)
  const out = await git.raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...paths])
  const changed: string[] = []
  const fields = out.split('\0')
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    if (f.length < 4) continue
    if (f[0] === 'R' || f[0] === 'C') i++ // a rename's source follows; the new name is enough
    changed.push(f.slice(3))
  }
  const files = changed.filter((f) => !/\.secret\.asc$|(^|\/)\.peerfeed\//.test(f))
  if (!files.length) return undefined
  try {
    await git.raw(['add', '-A', '--', ...files])
    return (await git.commit(message, files)).commit || undefined
  } catch (e) {
    throw new PeerFeedError(
      'GIT_FAILED',
      `the change was made but not committed: ${(e as Error).message.trim()}\n  commit it yourself with: git -C ${root} commit -- ${files.join(' ')}`,
      { cause: e },
    )
  }
}
