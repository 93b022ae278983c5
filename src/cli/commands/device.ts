// `peerfeed device add [--out FILE]` and `peerfeed device join FILE`: one feed, one key, several devices (docs/devices.md).
import path from 'node:path'
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('device add', 'Export your secret key under a passphrase for another device of yours (a file, and a QR code when it fits)')
    .option('--out', 'Where to write the export (default: peerfeed-device.secret.asc here; never overwritten)')
    .option('--no-qr', 'Do not draw the QR code')
    .option(
      '--passphrase-file',
      "File holding the export's passphrase (or set PEERFEED_PASSPHRASE; else you are asked); a protected secret key must open with it too",
    )
    .example('device add --out /media/usb/feed.secret.asc')
    .action(
      command(async (opts: GlobalOpts) => {
        const { passphraseFrom, keyQrTerminal, formatFingerprint } = await import('../../identity/index.ts')
        const { exportForDevice, DEFAULT_EXPORT, QR_MAX_BYTES } = await import('../../identity/devices.ts')
        const l = layoutOf({ ...opts, out: undefined })
        const out = path.resolve(typeof opts.out === 'string' && opts.out ? opts.out : DEFAULT_EXPORT)
        const r = await exportForDevice(l, { out, passphrase: await passphraseFrom(opts, { prompt: true }) })
        console.log(`wrote ${r.file} (${r.bytes} bytes): your secret key ${formatFingerprint(r.fingerprint)}, protected by the passphrase`)
        if (opts.qr !== false && r.bytes <= QR_MAX_BYTES) {
          process.stdout.write(`\n${await keyQrTerminal(r.armored)}\n`)
          console.log('Scan it on the new device, or move the file.')
        } else if (opts.qr !== false) {
          console.log(
            `It is too big for a QR code (${r.bytes} bytes, at most ${QR_MAX_BYTES}): move the file itself — a USB stick, scp, or a message to yourself; without the passphrase it is useless.`,
          )
        }
        console.log('On the new device:')
        console.log('  git clone YOUR-FEED-REMOTE feed && cd feed')
        console.log(
          `  peerfeed device join ${path.basename(r.file)}     # asks for the passphrase (or --passphrase-file, PEERFEED_PASSPHRASE)`,
        )
        console.log('Then delete the export on both sides.')
      }),
    )

  prog
    .command('device join <file>', 'Take the secret key exported by `device add`, in a fresh clone of your feed')
    .option('--passphrase-file', "File holding the export's passphrase (or set PEERFEED_PASSPHRASE; else you are asked)")
    .example('device join peerfeed-device.secret.asc')
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
        console.log(`Delete ${String(file)} now. Before each build: git pull; after it: git push.`)
      }),
    )
}
