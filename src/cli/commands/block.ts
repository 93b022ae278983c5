// `peerfeed block|unblock`: the local block list; a blocked key is in no audience and gets no answers.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('block <who>', 'Block a key by petname or fingerprint: it leaves every audience (the next build re-encrypts without it)')
    .example('block mallory')
    .example('block "ABCD 1234 …"')
    .action(
      command(async (who: string, opts: GlobalOpts) => {
        const { block } = await import('../../identity/index.ts')
        const r = await block(layoutOf(opts), String(who))
        const label = r.name ? `"${r.name}" (${r.fingerprint})` : r.fingerprint
        console.log(r.changed ? `blocked ${label}` : `${label} was already blocked`)
      }),
    )

  prog.command('unblock <who>', 'Unblock a key by petname or fingerprint').action(
    command(async (who: string, opts: GlobalOpts) => {
      const { unblock } = await import('../../identity/index.ts')
      const r = await unblock(layoutOf(opts), String(who))
      const label = r.name ? `"${r.name}" (${r.fingerprint})` : r.fingerprint
      console.log(r.changed ? `unblocked ${label}` : `${label} was not blocked`)
    }),
  )
}
