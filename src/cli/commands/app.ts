// `peerfeed app`: the local web app to read friends' posts and to post, reply and like, on loopback by default.
import type { Sade } from 'sade'
import { PeerFeedError } from '../../errors.ts'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('app', "Open the PeerFeed app in your browser: your timeline, friends' posts, writing, replies and likes")
    .option('--port', 'The port to listen on', 8090)
    .option('--host', 'The address to listen on', '127.0.0.1')
    .option('--no-open', 'Do not open a browser; just print the link')
    .option(
      '--lan',
      "Also serve on this machine's LAN address, for your phone: pair it from the app's Devices page (plain HTTP: see docs/app.md)",
    )
    .option(
      '--lan-host',
      'The LAN address to serve on with --lan (default: a private IPv4 address of this machine, else its first non-loopback one)',
    )
    .option('--passphrase-file', 'A file holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .example('app')
    .example('app --port 9000 --no-open')
    .example('app --lan')
    .action(
      command(async (opts: GlobalOpts) => {
        const layout = layoutOf(opts)
        const port = Number(opts.port ?? 8090)
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new PeerFeedError('BAD_PORT', `--port must be a number from 0 to 65535, not '${String(opts.port)}'.`)
        const { passphraseFrom } = await import('../../identity/index.ts')
        const passphrase = await passphraseFrom(opts, { prompt: true })
        const { startApp } = await import('../../app/start.ts')
        const host = String(opts.host ?? '127.0.0.1')
        const lan =
          opts.lan || opts['lan-host']
            ? { host: typeof opts['lan-host'] === 'string' && opts['lan-host'] ? opts['lan-host'] : await lanHost() }
            : undefined
        // friends' news is fetched as the app opens (then every interval), not a quarter of an hour later
        const sync = { firstAfterMs: 1000 }
        const app = await startApp({ layout, port, host, passphrase, lan, sync, log: (l) => console.error(`app: ${l}`) }).catch(
          (e: NodeJS.ErrnoException) => {
            if (e.code === 'EADDRINUSE')
              throw new PeerFeedError(
                'PORT_IN_USE',
                `port ${port} on ${host} is taken (is the app already running?); try --port ${port + 1}`,
              )
            throw e
          },
        )
        console.log(`PeerFeed app: ${app.loginUrl}`)
        if (app.lanUrl) console.log(`On your LAN: ${app.lanUrl} — pair a phone from Devices in the app (only paired devices get in)`)
        if (opts.open !== false) openBrowser(app.loginUrl)
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
        await app.close()
      }),
    )
}

/** Opens the default browser when there is a display to show it on; quietly does nothing otherwise. */
async function openBrowser(url: string) {
  const { spawn } = await import('node:child_process')
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    /* no browser: the printed link is enough */
  }
}

/** The machine's first LAN address (IPv4, not loopback); refuses clearly when there is none. */

/** The LAN address to serve `--lan` on, or a plain error saying how to give one. */
async function lanHost(): Promise<string> {
  const { lanAddress } = await import('../../discovery/lan-address.ts')
  const host = lanAddress()
  if (!host) throw new PeerFeedError('NO_LAN', 'no LAN address found (is this machine on a network?); give one with --lan-host ADDRESS')
  return host
}
