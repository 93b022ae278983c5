// `peerfeed device add [--out FILE] [--link]` and `peerfeed device join FILE|URL`: one feed, one key, several devices
// (docs/devices.md).
import path from 'node:path'
import type { Sade } from 'sade'
import { PeerFeedError } from '../../errors.ts'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command(
      'device add',
      'Export your secret key under a passphrase for another device of yours (a file, and a QR code when it fits, else a pairing link on the LAN)',
    )
    .option('--out', 'Where to write the export (default: peerfeed-device.secret.asc here; never overwritten)')
    .option('--no-qr', 'Do not draw the QR code')
    .option(
      '--link',
      'Also serve the export once over the LAN for a few minutes (automatic without --out when it is too big for a QR code); --no-link never',
    )
    .option('--bind', "The pairing link's address (default: this machine's LAN address)")
    .option('--port', "The pairing link's port (default: any free one)")
    .option('--link-minutes', 'How long the pairing link waits to be fetched', 10)
    .option(
      '--passphrase-file',
      "File holding the export's passphrase (or set PEERFEED_PASSPHRASE; else you are asked); a protected secret key must open with it too",
    )
    .example('device add --out /media/usb/feed.secret.asc')
    .example('device add --link')
    .action(
      command(async (opts: GlobalOpts) => {
        const { passphraseFrom, keyQrTerminal, formatFingerprint } = await import('../../identity/index.ts')
        const { exportForDevice, DEFAULT_EXPORT, QR_MAX_BYTES } = await import('../../identity/devices.ts')
        const l = layoutOf({ ...opts, out: undefined })
        const out = path.resolve(typeof opts.out === 'string' && opts.out ? opts.out : DEFAULT_EXPORT)
        const minutes = Number(opts['link-minutes'])
        if (!(minutes > 0 && minutes <= 24 * 60))
          throw new PeerFeedError('BAD_OPTION', '--link-minutes must be a number of minutes above 0')
        const port = opts.port === undefined ? 0 : Number(opts.port)
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new PeerFeedError('BAD_OPTION', '--port must be a port number (0–65535)')
        const r = await exportForDevice(l, { out, passphrase: await passphraseFrom(opts, { prompt: true }) })
        console.log(`wrote ${r.file} (${r.bytes} bytes): your secret key ${formatFingerprint(r.fingerprint)}, protected by the passphrase`)
        const fits = r.bytes <= QR_MAX_BYTES
        const link = opts.link === true || (opts.link !== false && !fits && !opts.out)
        if (opts.qr !== false && fits) {
          process.stdout.write(`\n${await keyQrTerminal(r.armored, 'L')}\n`)
          console.log(
            link ? 'Scan it on the new device, use the link below, or move the file.' : 'Scan it on the new device, or move the file.',
          )
        } else if (!fits) {
          console.log(
            link
              ? `It is too big for a QR code (${r.bytes} bytes, at most ${QR_MAX_BYTES}): a pairing link serves it once on this network.`
              : `It is too big for a QR code (${r.bytes} bytes, at most ${QR_MAX_BYTES}): move the file itself — a USB stick, scp, or a message to yourself; without the passphrase it is useless. (Or run device add --link for a pairing link on this network.)`,
          )
        }
        const join = (what: string) =>
          `  peerfeed device join ${what}     # asks for the passphrase (or --passphrase-file, PEERFEED_PASSPHRASE)`
        if (!link) {
          console.log('On the new device:')
          console.log('  git clone YOUR-FEED-REMOTE feed && cd feed')
          console.log(join(path.basename(r.file)))
          console.log('Then delete the export on both sides.')
          return
        }
        const { servePairingLink } = await import('../../identity/pairing-link.ts')
        const { lanAddress } = await import('../../discovery/lan-address.ts')
        const host = typeof opts.bind === 'string' && opts.bind ? opts.bind : lanAddress()
        if (!host)
          throw new PeerFeedError(
            'NO_LAN',
            `found no network address to serve the pairing link on: connect to the network the new device is on, or give one with --bind ADDRESS; or move ${r.file} itself.`,
          )
        const served = await servePairingLink({
          body: r.armored,
          host,
          port,
          ttlMs: minutes * 60_000,
          onRefused: (from) => console.error(`refused a request from ${from} (not the link, or the link was already used)`),
        })
        console.log(`\nPairing link (works once, for ${minutes} minute${minutes === 1 ? '' : 's'}):\n  ${served.url}\n`)
        if (opts.qr !== false) process.stdout.write(`${await keyQrTerminal(served.url)}\n`)
        console.log('On the new device, on the same network:')
        console.log('  git clone YOUR-FEED-REMOTE feed && cd feed')
        console.log(join(served.url))
        console.log('Waiting for it to be fetched… (Ctrl-C stops the link)')
        const stop = () => served.close()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
        const end = await served.done
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        if (!end.fetched)
          throw new PeerFeedError(
            'LINK_UNUSED',
            `the pairing link was not fetched and is closed. The export is still in ${r.file}: move it, or run device add --link again.`,
          )
        console.log(`the export was fetched by ${end.by}; the link is closed. Delete ${r.file} once the new device has joined.`)
      }),
    )

  prog
    .command(
      'device join <file>',
      'Take the secret key exported by `device add` (its file, or its pairing link), in a fresh clone of your feed',
    )
    .option('--passphrase-file', "File holding the export's passphrase (or set PEERFEED_PASSPHRASE; else you are asked)")
    .example('device join peerfeed-device.secret.asc')
    .example('device join http://192.168.1.20:40123/pair/TOKEN')
    .action(
      command(async (file: string, opts: GlobalOpts) => {
        const { passphraseFrom, formatFingerprint } = await import('../../identity/index.ts')
        const { joinDevice } = await import('../../identity/devices.ts')
        const { deviceId } = await import('../../build/device.ts')
        const l = layoutOf(opts)
        const r = await joinDevice(l, { file: String(file), passphrase: await passphraseFrom(opts, { prompt: true }) })
        const id = await deviceId(l)
        console.log(
          `this device now holds your key ${formatFingerprint(r.fingerprint)} (${path.relative(l.root, r.secretFile)}, protected by the same passphrase)`,
        )
        console.log(`its device id is ${id}: its builds write ledger/${id}.txt`)
        const { isLink } = await import('../../identity/pairing-link.ts')
        console.log(
          isLink(String(file))
            ? 'Delete the export file on the other device. Before each build: git pull; after it: git push.'
            : `Delete ${String(file)} now. Before each build: git pull; after it: git push.`,
        )
      }),
    )
}
