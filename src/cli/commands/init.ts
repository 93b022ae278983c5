// `peerfeed init`: creates the feed folders, .gitignore, git repo and the owner's identity; never overwrites.
import type { Sade } from 'sade'
import { command, newLayoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('init', 'Create a feed here (folders, .gitignore, git repo, your key); safe to run twice')
    .option('--name', 'Your name, as friends will see it')
    .option('--email', 'Your email (optional; published in the key and the Web Key Directory)')
    .option('--passphrase-file', 'Protect the secret key with the passphrase in this file (or set PEERFEED_PASSPHRASE)')
    .example('init --name "Ada Lovelace"')
    .action(command(async (opts: GlobalOpts) => {
      const { initFeed } = await import('../../posts/init-feed.ts')
      const r = await initFeed(newLayoutOf(opts), {
        name: opts.name as string | undefined,
        email: opts.email as string | undefined,
        passphraseFile: opts['passphrase-file'] as string | undefined,
      })
      for (const line of r.log) console.log(line)
    }))
}
