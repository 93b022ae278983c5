// `peerfeed discover`: lists PeerFeed feeds announced on the LAN — who, where, friend or not, signature valid or not.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('discover', 'List PeerFeed feeds on the LAN (mDNS): name, fingerprint, address, friend or not, signature')
    .option('--timeout', 'How long to listen, in milliseconds', 3000)
    .option('--json', 'Print JSON instead of a table', false)
    .example('discover')
    .example('discover --timeout 5000 --json')
    .action(
      command(async (opts: GlobalOpts) => {
        const { PeerFeedError } = await import('../../errors.ts')
        const timeoutMs = Number(opts.timeout ?? 3000)
        if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) {
          throw new PeerFeedError(
            'BAD_TIMEOUT',
            `--timeout must be a number of milliseconds from 100 to 600000, not '${String(opts.timeout)}'.`,
          )
        }
        const { discoverFeeds } = await import('../../discovery/lan-peers.ts')
        const { formatFingerprint } = await import('../../identity/index.ts')
        if (!opts.json) console.error(`listening for PeerFeed feeds on the LAN for ${timeoutMs / 1000} s…`)
        const feeds = await discoverFeeds(layoutOf(opts), { timeoutMs })
        if (opts.json) {
          console.log(JSON.stringify(feeds, null, 2))
          return
        }
        if (feeds.length === 0) {
          console.log(
            'no PeerFeed feed announced itself on this network (a friend serves with `peerfeed serve --mdns --host 0.0.0.0`; mDNS does not cross routers)',
          )
          return
        }
        const rows = feeds.map((f) => [
          f.name,
          formatFingerprint(f.fingerprint),
          f.address,
          f.friend === 'me' ? 'me' : f.friend ? `friend: ${f.friend}` : 'not a friend',
          f.verdict,
        ])
        const head = ['NAME', 'FINGERPRINT', 'ADDRESS', 'WHO', 'SIGNATURE']
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
        for (const r of [head, ...rows]) console.log(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join('  '))
        const strangers = feeds.filter((f) => !f.friend && f.signature === 'valid')
        if (strangers.length)
          console.log(`\nto befriend one: compare the fingerprint with them, then \`peerfeed peer add NAME ${strangers[0].url}\``)
      }),
    )
}
