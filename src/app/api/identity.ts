// My identity: name, fingerprint in groups of four, my key as a QR code (the payload of `peerfeed key --qr`) and as
// armored text to copy.
import type { Router } from '../router.ts'

export function routes(r: Router) {
  r.get('/api/identity', async (q) => {
    const { loadSelf, loadConfig, formatFingerprint, keyQr, keyQrSvg, keyUrl } = await import('../../identity/index.ts')
    const l = q.app.layout
    const [self, config] = await Promise.all([loadSelf(l), loadConfig(l)])
    const url = typeof config.url === 'string' && config.url ? config.url : undefined
    const qr = keyQr({ fingerprint: self.fingerprint, url })
    return {
      name: self.name,
      email: self.email || null,
      fingerprint: self.fingerprint,
      formatted: formatFingerprint(self.fingerprint),
      keyUrl: url ? keyUrl(url) : null,
      qr,
      qrSvg: await keyQrSvg(qr),
      armored: self.publicKey.armored,
    }
  })
}
