// `peerfeed key`: shows my name and fingerprint; --armor prints the public key, --qr draws it as a QR code.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('key', 'Show your name and key fingerprint (read it to friends so they can check your key)')
    .option('--armor', 'Also print the armored public key (to send to a friend)')
    .option('--qr', 'Draw a QR code of the fingerprint (and key URL) in the terminal; with FILE.svg or FILE.png also write it there')
    .example('key --armor > me.asc')
    .example('key --qr me.svg')
    .action(command(async (opts: GlobalOpts) => {
      const { loadSelf, loadConfig, formatFingerprint, keyQr, keyQrTerminal, writeKeyQr, keyUrl } = await import('../../identity/index.ts')
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
    }))
}
