// `peerfeed key`: shows my name and fingerprint; --armor prints the public key, --qr draws it as a QR code.
// `peerfeed key revoke` and `peerfeed key rotate`: the end of a key, and its hand-over to a new one (docs/devices.md).
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('key', 'Show your name and key fingerprint (read it to friends so they can check your key)')
    .option('--armor', 'Also print the armored public key (to send to a friend)')
    .option('--qr', 'Draw a QR code of the fingerprint (and key URL) in the terminal; with FILE.svg or FILE.png also write it there')
    .example('key --armor > me.asc')
    .example('key --qr me.svg')
    .action(
      command(async (opts: GlobalOpts) => {
        const { loadSelf, loadConfig, formatFingerprint, keyQr, keyQrTerminal, writeKeyQr, keyUrl } = await import(
          '../../identity/index.ts'
        )
        const l = layoutOf(opts)
        const self = await loadSelf(l)
        const { url } = await loadConfig(l)
        console.log(`${self.name}${self.email ? ` <${self.email}>` : ''}`)
        console.log(`fingerprint: ${formatFingerprint(self.fingerprint)}`)
        if (typeof url === 'string' && url) console.log(`key URL:     ${keyUrl(url)}`)
        if (opts.armor) process.stdout.write(`\n${self.publicKey.armored.trimEnd()}\n`)
        if (opts.qr !== undefined && opts.qr !== false) {
          const text = keyQr({ fingerprint: self.fingerprint, url: typeof url === 'string' && url ? url : undefined })
          process.stdout.write(`\n${await keyQrTerminal(text)}`)
          if (typeof opts.qr === 'string' && opts.qr !== '') {
            await writeKeyQr(opts.qr, text)
            console.log(`wrote ${opts.qr}`)
          }
        }
      }),
    )

  prog
    .command('key revoke', 'Revoke your key with the certificate init made: friends stop trusting anything new signed by it')
    .option('--reason', 'Why, as friends will read it (e.g. "laptop stolen")')
    .option(
      '--passphrase-file',
      'File holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE); needed only without a certificate or with --reason',
    )
    .action(
      command(async (opts: GlobalOpts) => {
        const { passphraseFrom } = await import('../../identity/index.ts')
        const { revokeSelf, revocationFile } = await import('../../identity/key-life.ts')
        const l = layoutOf(opts)
        const r = await revokeSelf(l, {
          passphrase: await passphraseFrom(opts, { prompt: true }),
          reason: opts.reason as string | undefined,
        })
        console.log(
          `revoked your key ${r.fingerprint}${r.certificateMade ? ' (with a certificate made now from your secret key)' : ` (with ${revocationFile(l).replace(`${l.root}/`, '')})`}`,
        )
        console.log(
          `keys/self.asc now carries the revocation${r.committed ? ' (committed)' : ''}. Publish it: peerfeed build, then serve or publish as usual.`,
        )
        console.log('Friends who sync keep what they already have and trust nothing new signed by this key.')
        console.log(
          'To go on sharing, make a new identity (move keys/self.asc and .peerfeed/self.secret.asc away, peerfeed init); friends must add it again.',
        )
      }),
    )

  prog
    .command('key rotate', 'Make a new key, signed over by the old one; friends follow the signed hand-over on their next sync')
    .option('--passphrase-file', 'File holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE); the new key gets the same')
    .action(
      command(async (opts: GlobalOpts) => {
        const { passphraseFrom, formatFingerprint } = await import('../../identity/index.ts')
        const { rotateSelf } = await import('../../identity/key-life.ts')
        const r = await rotateSelf(layoutOf(opts), { passphrase: await passphraseFrom(opts, { prompt: true }) })
        console.log(`new key: ${formatFingerprint(r.new)}`)
        console.log(`old key: ${formatFingerprint(r.old)} (kept in keys/history/ and .peerfeed/old-keys/)`)
        console.log(
          `keys/self.asc and keys/self.rotations.json hold the new key and the statement both keys signed${r.committed ? ' (committed)' : ''}.`,
        )
        console.log(
          'Next: peerfeed build (a running serve picks up the new key without a restart and still answers friends who know only the old one), or publish; friends switch to the new key on their next sync.',
        )
        console.log('Your other devices need the new secret key: peerfeed device add here, peerfeed device join there (docs/devices.md).')
        console.log('A new revocation certificate is in .peerfeed/self.revocation.asc: keep a copy offline.')
      }),
    )
}
