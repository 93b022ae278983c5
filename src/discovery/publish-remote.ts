// Where `publish` pushes: a remote name of the feed's repo, or a URL, or a path on disk, made absolute.
import fs from 'node:fs'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { PeerFeedError } from '../errors.ts'

const isUrlLike = (s: string) => s.includes('://') || /^[^/\\]+@[^/\\]+:/.test(s)

/** Resolves `remote` against the repo at `root` (remote names, relative remote paths) and the shell's cwd (paths typed). */
export async function resolveRemote(root: string, remote: string, cwd = process.cwd()): Promise<string> {
  if (isUrlLike(remote) || path.isAbsolute(remote)) return remote
  const configured = await simpleGit(root)
    .raw(['remote', 'get-url', remote])
    .then(
      (s) => s.trim(),
      () => '',
    )
  if (configured) return isUrlLike(configured) || path.isAbsolute(configured) ? configured : path.resolve(root, configured)
  const asPath = path.resolve(cwd, remote)
  if (fs.existsSync(asPath)) return asPath
  throw new PeerFeedError(
    'NO_REMOTE',
    `'${remote}' is neither a git remote of ${root} nor a path or URL; add one with \`git remote add ${remote} URL\` or pass --remote URL`,
  )
}

/** The commit at refs/heads/`branch` of `url`, null when the branch does not exist yet. */
export async function remoteHead(url: string, branch: string): Promise<string | null> {
  const out = await simpleGit()
    .raw(['ls-remote', '--heads', url, `refs/heads/${branch}`])
    .catch((e: Error) => {
      throw new PeerFeedError(
        'REMOTE_UNREACHABLE',
        `cannot reach the git remote ${url}: ${firstLine(e.message)}; check the URL, the network and your credentials`,
        { cause: e },
      )
    })
  return out.trim().split(/\s+/)[0] || null
}

/** Who makes the publish commit: the feed repo's git identity (env vars still win), else a neutral one so a fresh machine works. */
export async function commitIdentity(root: string): Promise<string[]> {
  const get = (k: string) =>
    simpleGit(root)
      .raw(['config', '--get', k])
      .then(
        (s) => s.trim(),
        () => '',
      )
  return [`user.name=${(await get('user.name')) || 'PeerFeed'}`, `user.email=${(await get('user.email')) || 'peerfeed@localhost'}`]
}

export const firstLine = (s: string) => s.trim().split('\n').filter(Boolean).pop() ?? s
