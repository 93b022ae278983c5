// `peerfeed follow NAME [URL]` / `peerfeed unfollow NAME`: where a friend serves, for sync (a friend needs no URL).
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command(
      'follow <name> [url]',
      'Sync a friend: at a URL (their `peerfeed serve` address or static host), or, for a friend in keys/, wherever sync finds them (LAN, DHT)',
    )
    .example('follow bob http://192.168.1.20:8080/')
    .example('follow carol https://carol.example.org/')
    .example('follow alice            # alice is in keys/: found by her fingerprint on the LAN or the DHT')
    .action(
      command(async (name: string, url: string | undefined, opts: GlobalOpts) => {
        const { follow } = await import('../../sync/index.ts')
        const { formatFingerprint } = await import('../../identity/index.ts')
        const f = await follow(layoutOf(opts), String(name), typeof url === 'string' ? url : undefined)
        if (f.url) console.log(`following "${f.name}" at ${f.url}`)
        else
          console.log(
            `following "${f.name}" by key ${formatFingerprint(f.key.fingerprint)}: sync looks for them on the LAN, then on the DHT`,
          )
        if (f.friend) console.log(`  a friend (keys/${f.name}.asc): sync fetches what they share with you and their public posts`)
        else {
          console.log(`  not in keys/: their key was fetched from ${f.url}key.asc; sync fetches their public posts only`)
          console.log(
            `  fingerprint: ${formatFingerprint(f.key.fingerprint)} — compare it with theirs; \`peerfeed peer add ${f.name} ${f.url}\` makes them a friend`,
          )
        }
      }),
    )

  prog.command('unfollow <name>', 'Stop syncing a friend (their inbox/ folder is left as it is)').action(
    command(async (name: string, opts: GlobalOpts) => {
      const { unfollow } = await import('../../sync/index.ts')
      console.log((await unfollow(layoutOf(opts), String(name))) ? `no longer following "${name}"` : `you were not following "${name}"`)
    }),
  )
}
