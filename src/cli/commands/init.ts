// `peerfeed init`: creates the feed (folders, .gitignore, git repo, your key, peerfeed.yaml) and commits it; run
// again with --name/--email/--url to change them. On a terminal it asks for what is missing.
import type { Sade } from 'sade'
import { command, newLayoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('init', 'Create a feed here (folders, .gitignore, git repo, your key), or change your name, email or site URL')
    .option('--name', 'Your name, as friends and your site show it (asked on a terminal when missing)')
    .option('--email', 'Your email (optional; published in the key and the Web Key Directory)')
    .option('--url', 'Where your site will live, e.g. https://ada.example.org/ (optional; gives feeds absolute ids)')
    .option('--examples', 'Also copy one example post of each type into feed/', false)
    .option('--passphrase-file', 'Protect the secret key with the passphrase in this file (or set PEERFEED_PASSPHRASE)')
    .example('init --name "Ada Lovelace"')
    .example('init --name "Ada Lovelace" --email ada@example.org --url https://ada.example.org/')
    .example('init --name "Ada King"          # later: a new name, same key')
    .action(
      command(async (opts: GlobalOpts) => {
        const layout = newLayoutOf(opts)
        const { exists } = await import('../../fs-atomic.ts')
        const { initFeed } = await import('../../posts/init-feed.ts')
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
        const answers = { name: str(opts.name), email: str(opts.email), url: str(opts.url), passphrase: undefined as string | undefined }
        if (answers.name === undefined && process.stdin.isTTY && !(await exists(layout.selfPublicKey))) {
          Object.assign(answers, await ask(answers, !opts['passphrase-file'] && !process.env.PEERFEED_PASSPHRASE))
        }
        const r = await initFeed(layout, {
          ...answers,
          examples: Boolean(opts.examples),
          passphraseFile: str(opts['passphrase-file']),
        })
        for (const line of r.log) console.log(line)
      }),
    )
}

/** Questions for a new feed on a terminal: the name (needed), then email, site URL and passphrase (optional). */
async function ask(given: { email?: string; url?: string }, askPassphrase: boolean) {
  const { prompter } = await import('../prompt.ts')
  const p = prompter()
  try {
    let name = ''
    while (!name) {
      name = (await p.ask('Your name, as friends will see it: ')).trim()
      if (!name) console.error('a name is needed (you can change it later with `peerfeed init --name`)')
    }
    const email = given.email ?? ((await p.ask('Email (optional, Enter to skip): ')).trim() || undefined)
    const url =
      given.url ??
      ((await p.ask('Where your site will live, e.g. https://you.example.org/ (optional, Enter to skip): ')).trim() || undefined)
    let passphrase: string | undefined
    if (askPassphrase) {
      console.error('A passphrase protects your secret key on this machine; you will type it to build and serve.')
      passphrase = (await p.ask('Passphrase (optional, Enter for none): ', { hidden: true })) || undefined
    }
    return { name, email, url, passphrase }
  } finally {
    p.close()
  }
}
