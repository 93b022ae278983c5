// `peerfeed sync [NAME…]`: fetches what followed friends shared since last time into inbox/NAME/, friends in
// parallel, trying each friend's URL, then the LAN, then the DHT; one line per friend as it finishes.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('sync [names]', 'Fetch new posts from the friends you follow (all, or the named ones) into inbox/')
    .option('--passphrase-file', 'A file holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .option('--full', 'Ask for everything again, not only what is new since last time', false)
    .option('--no-lan', 'Do not look for friends on the LAN (mDNS) when their URL does not answer')
    .option('--no-dht', 'Do not look for friends on the DHT when their URL and the LAN fail')
    .option('--bootstrap', 'DHT bootstrap nodes HOST:PORT[,…] (default: peerfeed.yaml dht.bootstrap, else the public DHT)')
    .example('sync')
    .example('sync bob carol')
    .example('sync --no-dht')
    .action(
      command(async (first: string | undefined, opts: GlobalOpts & { _?: string[] }) => {
        const { syncAll } = await import('../../sync/index.ts')
        const { passphraseFrom } = await import('../../identity/index.ts')
        const { discoveryRoutes } = await import('../../discovery/sync-routes.ts')
        const { dhtSettings } = await import('../../discovery/settings.ts')
        const names = [first, ...(opts._ ?? [])].filter((n): n is string => typeof n === 'string' && n !== '')
        const layout = layoutOf(opts)
        const bootstrap = opts.dht === false ? undefined : (await dhtSettings(layout, opts.bootstrap)).bootstrap
        const found = discoveryRoutes({ lan: opts.lan === false ? false : {}, dht: opts.dht === false ? false : { bootstrap } })
        const publicDht = opts.dht !== false && bootstrap === undefined
        const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
        let s
        try {
          s = await syncAll(layout, {
            names,
            full: Boolean(opts.full),
            passphrase: await passphraseFrom(opts, { prompt: true }),
            routes: found.routes,
            // Steps of each friend's sync go to stderr as they happen (interleaved: friends run in parallel).
            onProgress: (name, line) => console.error(`${name}: ${line}`),
            onEvent: (e) => {
              if (e.type === 'route' && e.via === 'dht' && e.looking && opts.dht !== false) {
                console.error(`${e.name}: not reached at its URL or on the LAN; falling back to the ${publicDht ? 'public DHT' : 'DHT'}…`)
              }
              if (e.type !== 'finished' && e.type !== 'failed') return
              // One line per friend as it finishes (friends are synced in parallel, so in the order they end).
              const f = e.report
              const counts = `${f.new} new, ${f.updated} updated, ${f.deleted} deleted, ${f.rejected.length} rejected`
              console.log(
                `${f.name}: ${f.error ? `FAILED (${f.error.message})` : counts}${f.error && (f.new || f.updated || f.deleted) ? ` — before that: ${counts}` : ''} [${secs(e.status.ms)}]`,
              )
              for (const n of f.notes) console.log(`  note: ${n}`)
              for (const r of f.rejected.slice(0, 20)) console.log(`  rejected ${r.id ?? 'an entry'}: ${r.why}`)
              if (f.rejected.length > 20) console.log(`  … and ${f.rejected.length - 20} more rejected`)
            },
          })
        } finally {
          await found.close()
        }
        console.log(
          `synced ${s.friends.length} friend(s): ${s.new} new, ${s.updated} updated, ${s.deleted} deleted, ${s.rejected} rejected${s.failed ? `, ${s.failed} failed` : ''}`,
        )
        return s.failed ? 1 : 0
      }),
    )
}
