// `peerfeed publish`: pushes the built dist/ as a new commit on a branch of a git remote, for a static host to serve.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('publish', 'Push dist/ as a new commit on a branch of a git remote (your working tree is left alone)')
    .option('--remote', "A git remote name, URL or path (default: peerfeed.yaml's publish.remote; there is no other default)")
    .option('--branch', 'The branch the static host serves (default: publish.branch in peerfeed.yaml, else pages)')
    .option('--out', 'The built site to publish (default: dist)')
    .example('publish                 # to publish.remote / publish.branch from peerfeed.yaml')
    .example('publish --remote git@codeberg.org:ada/feed.git --branch pages')
    .action(
      command(async (opts: GlobalOpts) => {
        const { publish } = await import('../../discovery/publish.ts')
        const r = await publish(layoutOf(opts), { remote: opts.remote as string | undefined, branch: opts.branch as string | undefined })
        const size = `${r.files} files, ${(r.bytes / 1024).toFixed(1)} KiB`
        if (r.unchanged) {
          console.log(`${r.remote} ${r.branch} already has this site (${r.commit.slice(0, 10)}, ${size}); nothing pushed`)
        } else {
          console.log(
            `pushed ${r.commit.slice(0, 10)} to ${r.remote} ${r.branch} (${size}; ${r.parent ? `parent ${r.parent.slice(0, 10)}` : 'new branch'})`,
          )
        }
      }),
    )
}
