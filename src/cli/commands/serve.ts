// `peerfeed serve`: serves dist/ and the exchange API on one port; --watch rebuilds as the feed changes;
// --mdns announces it on the LAN, --dht answers the same API over the DHT. SIGINT/SIGTERM close everything.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('serve', 'Serve the built site and the exchange API (friends sync from here)')
    .option('--port', 'The port to listen on', 8080)
    .option('--host', 'The address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--passphrase-file', 'A file holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .option('--watch', 'Rebuild whenever the feed, keys or groups change', false)
    .option('--decrypt-workers', "Threads decrypting friends' requests (0: in the server thread)", 2)
    .option('--mdns', 'Announce the feed on the LAN (_peerfeed._tcp, signed with your key); needs --host 0.0.0.0 or a LAN address', false)
    .option('--dht', 'Also answer over the DHT, so friends find you by fingerprint from anywhere', false)
    .option('--bootstrap', 'DHT bootstrap nodes HOST:PORT[,…] (default: peerfeed.yaml dht.bootstrap, else the public DHT)')
    .example('serve')
    .example('serve --host 0.0.0.0 --port 8080 --watch')
    .example('serve --host 0.0.0.0 --mdns --dht')
    .action(
      command(async (opts: GlobalOpts) => {
        const layout = layoutOf(opts)
        const { passphraseFrom } = await import('../../identity/index.ts')
        const { startServer } = await import('../../server/index.ts')
        const passphrase = await passphraseFrom(opts, { prompt: true })
        const port = Number(opts.port ?? 8080)
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          const { PeerFeedError } = await import('../../errors.ts')
          throw new PeerFeedError('BAD_PORT', `--port must be a number from 0 to 65535, not '${String(opts.port)}'.`)
        }
        const host = String(opts.host ?? '127.0.0.1')
        if (opts.mdns) {
          // Before anything starts: an announcement on loopback would be useless, say so now.
          const { lanInterfaceFor } = await import('../../discovery/serve-discovery.ts')
          lanInterfaceFor(host)
        }
        const { dhtSettings } = await import('../../discovery/settings.ts')
        const dht = opts.dht ? await dhtSettings(layout, opts.bootstrap) : false
        const stops: (() => Promise<void>)[] = []
        if (opts.watch) {
          const { watchBuild } = await import('../../build/watch.ts')
          const w = watchBuild(layout, {
            passphrase,
            onBuild: (r) => {
              if (r.changed)
                console.log(
                  `rebuilt: ${r.stats.newVersions} new version(s), ${r.stats.tombstones} deletion(s) in ${Math.round(r.stats.ms)} ms`,
                )
            },
            onError: (e) => console.error(`peerfeed: rebuild failed: ${(e as Error).message}`),
          })
          await w.ready
          stops.push(() => w.close())
        }
        const decryptWorkers = Math.max(0, Math.min(16, Number(opts['decrypt-workers'] ?? 2) || 0))
        let server: Awaited<ReturnType<typeof startServer>>
        try {
          server = await startServer({
            ...opts,
            layout,
            port,
            host,
            passphrase,
            limits: { decryptWorkers },
            log: (m) => console.error(`serve: ${m}`),
          })
        } catch (e) {
          for (const s of stops) await s() // the watcher too: nothing may keep a failed serve alive
          throw e
        }
        stops.unshift(() => server.close())
        console.log(`serving ${layout.dist} and the API at ${server.url} (key ${server.fingerprint})`)
        try {
          if (opts.mdns || opts.dht) {
            const { startDiscovery } = await import('../../discovery/serve-discovery.ts')
            const d = await startDiscovery(server, { layout, host, passphrase, mdns: Boolean(opts.mdns), dht, log: (m) => console.log(m) })
            stops.unshift(() => d.close()) // stop announcing before the server goes away
          }
        } catch (e) {
          for (const s of stops) await s()
          throw e
        }
        await new Promise<void>((resolve) => {
          const stop = () => resolve()
          process.once('SIGINT', stop)
          process.once('SIGTERM', stop)
        })
        for (const s of stops) await s()
        console.log('stopped')
      }),
    )
}
