// `publish`: pushes dist/ as one new commit on a branch of a git remote, from a throwaway repo, so a static host can serve it.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { commitIdentity, firstLine, remoteHead, resolveRemote } from './publish-remote.ts'

export interface PublishOptions { remote?: string; branch?: string; cwd?: string }
export interface PublishResult {
  remote: string
  branch: string
  commit: string
  parent: string | null
  files: number
  bytes: number
  /** The tree equals the branch head's: nothing was pushed. */
  unchanged: boolean
}

/** Never touches the feed repo's HEAD, index or working tree: the index and objects live in a temp bare repo. */
export async function publish(layout: Layout, opts: PublishOptions = {}): Promise<PublishResult> {
  const branch = opts.branch ?? 'pages'
  const entries = await fs.readdir(layout.dist).catch(() => null)
  if (!entries?.length) {
    throw new PeerFeedError('NO_DIST', `nothing to publish: ${layout.dist} ${entries ? 'is empty' : 'does not exist'}; run peerfeed build first`)
  }
  const remote = await resolveRemote(layout.root, opts.remote ?? 'origin', opts.cwd)
  const parent = await remoteHead(remote, branch)
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'peerfeed-publish-'))
  try {
    // --work-tree is a "config path" to simple-git's guard; here it is our own dist/, so it is allowed on this instance only.
    const git = simpleGit({ baseDir: tmp, config: await commitIdentity(layout.root), unsafe: { allowUnsafeConfigPaths: true } })
    await git.raw(['init', '--quiet', '--bare'])
    if (parent) await git.raw(['fetch', '--quiet', '--depth', '1', remote, `refs/heads/${branch}`])
    // --force: the user's global excludes must not drop built files; .nojekyll keeps GitHub Pages serving .well-known/.
    await git.raw(['--work-tree', layout.dist, 'add', '--all', '--force', '.'])
    if (!entries.includes('.nojekyll')) {
      await fs.writeFile(path.join(tmp, 'nojekyll'), '')
      const empty = (await git.raw(['hash-object', '-w', path.join(tmp, 'nojekyll')])).trim()
      await git.raw(['update-index', '--add', '--cacheinfo', `100644,${empty},.nojekyll`])
    }
    const tree = (await git.raw(['write-tree'])).trim()
    const listing = (await git.raw(['ls-tree', '-r', '-l', tree])).trim().split('\n').filter(Boolean)
    const stats = { files: listing.length, bytes: listing.reduce((n, l) => n + (Number(l.split(/\s+/)[3]) || 0), 0) }
    if (parent && (await git.raw(['rev-parse', `${parent}^{tree}`])).trim() === tree) {
      return { remote, branch, commit: parent, parent, unchanged: true, ...stats }
    }
    const source = await simpleGit(layout.root).raw(['rev-parse', '--short', 'HEAD']).then((s) => ` from ${s.trim()}`, () => '')
    const commit = (await git.raw(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', `peerfeed publish${source}`])).trim()
    await git.raw(['push', '--quiet', remote, `${commit}:refs/heads/${branch}`]).catch((e: Error) => {
      throw new PeerFeedError('PUBLISH_REJECTED', `${remote} refused the push to ${branch}: ${firstLine(e.message)}; if someone else published meanwhile, run peerfeed publish again`, { cause: e })
    })
    return { remote, branch, commit, parent, unchanged: false, ...stats }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true })
  }
}
