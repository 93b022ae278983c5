import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readPublicKey } from '../../src/crypto/index.ts'
import { wkdLocalPartHash, zbase32, writeWkd, keyQr, keyQrSvg, keyQrTerminal, writeKeyQr, loadSelf } from '../../src/identity/index.ts'
import { tempDir } from '../helpers/index.ts'
import { feed, refused } from './fixtures.ts'

const exp = suite('WKD and QR export')

exp('z-base-32 and the WKD hash match the published test vector', () => {
  assert.is(zbase32(new Uint8Array([])), '')
  assert.is(zbase32(new Uint8Array([0xf0, 0xbf, 0xc7])), '6n9hq')
  // draft-koch-openpgp-webkey-service: Joe.Doe@Example.ORG → iy9q119eutrkn8s1mk4r39qejnbu3n5q
  assert.is(wkdLocalPartHash('Joe.Doe'), 'iy9q119eutrkn8s1mk4r39qejnbu3n5q')
})

exp('writeWkd writes the binary key under hu/<hash> and an empty policy', async () => {
  const l = await feed('Ada')
  const me = await loadSelf(l)
  const out = await tempDir()
  const written = await writeWkd(out, 'Ada@example.org', me.publicKey)
  assert.equal(written, [`.well-known/openpgpkey/hu/${wkdLocalPartHash('ada')}`, '.well-known/openpgpkey/policy'])
  const bytes = await fs.readFile(path.join(out, written[0]))
  assert.is((await readPublicKey(new Uint8Array(bytes))).fingerprint, me.fingerprint)
  assert.is(await fs.readFile(path.join(out, written[1]), 'utf8'), '')
  await refused(writeWkd(out, 'not-an-address', me.publicKey), 'BAD_EMAIL')
})

exp('the QR payload is OPENPGP4FPR with the upper-case fingerprint and, with a URL, the key URL', async () => {
  const fp = 'abcdef0123456789abcdef0123456789abcdef01'
  assert.is(keyQr({ fingerprint: fp }), `OPENPGP4FPR:${fp.toUpperCase()}`)
  assert.is(
    keyQr({ fingerprint: fp, url: 'https://ada.example.org/' }),
    `OPENPGP4FPR:${fp.toUpperCase()}#u=https%3A%2F%2Fada.example.org%2Fkey.asc`,
  )
  const svg = await keyQrSvg(keyQr({ fingerprint: fp }))
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.match(await keyQrTerminal('x'), /▄|█/)
  const dir = await tempDir()
  await writeKeyQr(path.join(dir, 'k.svg'), 'x')
  await writeKeyQr(path.join(dir, 'k.png'), 'x')
  assert.match(await fs.readFile(path.join(dir, 'k.svg'), 'utf8'), /<svg/)
  assert.equal([...(await fs.readFile(path.join(dir, 'k.png'))).subarray(1, 4)], [0x50, 0x4e, 0x47])
  await refused(writeKeyQr(path.join(dir, 'k.gif'), 'x'), 'BAD_QR_FILE', /\.svg or \.png/)
})

exp.run()
