// `peerfeed sync [NAME…]`: fetches what followed friends shared since last time into inbox/NAME/, trying each
// friend's URL, then the LAN, then the DHT.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('sync [names]', 'Fetch new posts from the friends you follow (all, or the named ones) into inbox/')
    .option('--passphrase-file', 'A file holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .option('--full', 'Ask for everything again, not only what is new since last time', false)
    .option('--no-lan', 'Do not look for friends on the LAN (mDNS) when their URL does not answer')
    .option('--no-dht', 'Do not look for friends on the DHT when their URL and the LAN fail')
    .option('--bootstrap', 'DHT bootstrap nodes HOST:PORT[,…] (default: peerfeed.yaml dht.bootstrap, else the public DHT)')
    .example('sync')
    .example('sync bob carol')
    .example('sync --no-dht')
    .action(command(async (first: string | undefined, opts: GlobalOpts & { _?: string[] }) => {
      const { syncAll } = await import('../../sync/index.ts')
      const { passphraseFrom } = await import('../../identity/index.ts')
      const { discoveryRoutes } = await import('../../discovery/sync-routes.ts')
      const { dhtSettings } = await import('../../discovery/settings.ts')
      const names = [first, ...(opts._ ?? [])].filter((n): n is string => typeof n === 'string' && n !== '')
      const layout = layoutOf(opts)
      const bootstrap = opts.dht === false ? undefined : (await dhtSettings(layout, opts.bootstrap)).bootstrap
      const found = discoveryRoutes({ lan: opts.lan === false ? false : {}, dht: opts.dht === false ? false : { bootstrap } })
      let s
      try {
        s = await syncAll(layout, {
          names,
          full: Boolean(opts.full),
          passphrase: await passphraseFrom(opts, { prompt: true }),
          routes: found.routes,
          onProgress: (name, line) => console.error(`${name}: ${line}`),
        })
      } finally {
        await found.close()
      }
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
