// The owner's key as a QR code: OPENPGP4FPR:<FINGERPRINT>, plus where to fetch the key when the feed has a URL.
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'

// loaded when a code is drawn: every command that reads identity would otherwise pay for it
const qrcode = async () => (await import('qrcode')).default

/** The URL of the key of a feed served at `url`. */
export const keyUrl = (url: string) => `${url.replace(/\/+$/, '')}/key.asc`

/**
 * The QR payload. Scanners that know OPENPGP4FPR read the fingerprint up to '#'; the `u=` fragment
 * (URL-encoded key URL) lets a PeerFeed client fetch the key and check it against that fingerprint.
 */
export function keyQr({ fingerprint, url }: { fingerprint: string; url?: string }): string {
  const fp = `OPENPGP4FPR:${fingerprint.toUpperCase()}`
  return url ? `${fp}#u=${encodeURIComponent(keyUrl(url))}` : fp
}

/**
 * Text for a terminal (two rows per character, so it fits an 80×24 screen). Level M by default; a key export uses L,
 * the only level whose largest code holds QR_MAX_BYTES (devices.ts).
 */
export async function keyQrTerminal(text: string, level: 'L' | 'M' = 'M'): Promise<string> {
  return (await qrcode()).toString(text, { type: 'terminal', small: true, errorCorrectionLevel: level })
}

/** A standalone SVG document, for the about page and for `key --qr FILE.svg`. */
export async function keyQrSvg(text: string): Promise<string> {
  return (await qrcode()).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** Writes FILE.svg or FILE.png, chosen by the extension. */
export async function writeKeyQr(file: string, text: string): Promise<void> {
  const ext = path.extname(file).toLowerCase()
  if (ext === '.svg') return writeFileAtomic(file, await keyQrSvg(text))
  if (ext === '.png')
    return writeFileAtomic(file, await (await qrcode()).toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 }))
  throw new PeerFeedError('BAD_QR_FILE', `cannot write a QR code to "${file}": the name must end in .svg or .png.`)
}
