// `publish`: pushes dist/ as one new commit on a branch of a git remote, from a throwaway repo, so a static host can serve it.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { commitIdentity, firstLine, remoteHead, resolveRemote } from './publish-remote.ts'

export interface PublishOptions {
  remote?: string
  branch?: string
  cwd?: string
}

/** `publish:` in peerfeed.yaml: where this feed's site goes. */
export interface PublishSettings {
  remote?: string
  branch?: string
}

/**
 * Where to publish: the options, else peerfeed.yaml's `publish: {remote, branch}`. There is no default remote: a
 * feed cloned from the PeerFeed repository has that repository as `origin`, and its site must never land there.
 */
export async function publishTarget(layout: Layout, opts: PublishOptions = {}): Promise<{ remote: string; branch: string }> {
  const { loadConfig } = await import('../identity/index.ts')
  const raw = (await loadConfig(layout)).publish
  const saved: PublishSettings = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as PublishSettings) : {}
  const remote = opts.remote || (typeof saved.remote === 'string' ? saved.remote : '')
  const branch = opts.branch || (typeof saved.branch === 'string' ? saved.branch : '') || 'pages'
  if (!remote) {
    throw new PeerFeedError(
      'NO_PUBLISH_REMOTE',
      'publish needs to be told where your site goes; it never pushes to a remote it was not given ' +
        "(a clone's `origin` is usually someone else's repository). Name it in peerfeed.yaml:\n" +
        '  publish:\n    remote: git@codeberg.org:you/pages.git   # a remote name, URL or path\n    branch: pages\n' +
        'or on the command line: peerfeed publish --remote URL [--branch pages]',
    )
  }
  return { remote, branch }
}
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
  const target = await publishTarget(layout, opts)
  const branch = target.branch
  const entries = await fs.readdir(layout.dist).catch(() => null)
  if (!entries?.length) {
    throw new PeerFeedError(
      'NO_DIST',
      `nothing to publish: ${layout.dist} ${entries ? 'is empty' : 'does not exist'}; run peerfeed build first`,
    )
  }
  const remote = await resolveRemote(layout.root, target.remote, opts.cwd)
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
    const source = await simpleGit(layout.root)
      .raw(['rev-parse', '--short', 'HEAD'])
      .then(
        (s) => ` from ${s.trim()}`,
        () => '',
      )
    const commit = (await git.raw(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', `peerfeed publish${source}`])).trim()
    await git.raw(['push', '--quiet', remote, `${commit}:refs/heads/${branch}`]).catch((e: Error) => {
      throw new PeerFeedError(
        'PUBLISH_REJECTED',
        `${remote} refused the push to ${branch}: ${firstLine(e.message)}; if someone else published meanwhile, run peerfeed publish again`,
        { cause: e },
      )
    })
    return { remote, branch, commit, parent, unchanged: false, ...stats }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true })
  }
}
