// `peerfeed sync [NAME…]`: fetches what followed friends shared since last time into inbox/NAME/.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('sync [names]', 'Fetch new posts from the friends you follow (all, or the named ones) into inbox/')
    .option('--passphrase-file', 'A file holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .option('--full', 'Ask for everything again, not only what is new since last time', false)
    .example('sync')
    .example('sync bob carol')
    .action(command(async (first: string | undefined, opts: GlobalOpts & { _?: string[] }) => {
      const { syncAll } = await import('../../sync/index.ts')
      const { passphraseFrom } = await import('../../identity/index.ts')
      const names = [first, ...(opts._ ?? [])].filter((n): n is string => typeof n === 'string' && n !== '')
      const s = await syncAll(layoutOf(opts), {
        names,
        full: Boolean(opts.full),
        passphrase: await passphraseFrom(opts, { prompt: true }),
        onProgress: (name, line) => console.error(`${name}: ${line}`),
      })
      for (const f of s.friends) {
        const counts = `${f.new} new, ${f.updated} updated, ${f.deleted} deleted, ${f.rejected.length} rejected`
        console.log(`${f.name}: ${f.error ? `FAILED (${f.error.message})` : counts}${f.error && (f.new || f.updated || f.deleted) ? ` — before that: ${counts}` : ''}`)
        for (const n of f.notes) console.log(`  note: ${n}`)
        for (const r of f.rejected.slice(0, 20)) console.log(`  rejected ${r.id ?? 'an entry'}: ${r.why}`)
        if (f.rejected.length > 20) console.log(`  … and ${f.rejected.length - 20} more rejected`)
      }
      console.log(`synced ${s.friends.length} friend(s): ${s.new} new, ${s.updated} updated, ${s.deleted} deleted, ${s.rejected} rejected${s.failed ? `, ${s.failed} failed` : ''}`)
      return s.failed ? 1 : 0
    }))
}
