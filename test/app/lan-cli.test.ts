// `peerfeed app --lan-host ADDRESS` (the real CLI): prints the LAN address beside the login link; there, an unpaired
// browser gets only the pairing page; Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BIN } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('peerfeed app --lan (CLI)')
let sam: TestFeed

test.before(async () => {
  sam = await makeFeed('sam')
})
test.after(async () => {
  await sam?.close()
})

test('prints the LAN address; unpaired requests there get the pairing page; SIGINT stops it', async () => {
  const child = spawn(process.execPath, [BIN, 'app', '--no-open', '--port', '0', '--lan-host', '127.0.0.2', '--root', sam.layout.root], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const lanUrl = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no LAN line in 60 s: ${out}${err}`)), 60_000)
    child.stdout.on('data', (d) => {
      out += d
      const m = /^On your LAN: (http:\/\/127\.0\.0\.2:\d+) — pair a phone from Devices in the app/m.exec(out)
      if (m) {
        clearTimeout(t)
        resolve(m[1])
      }
    })
    child.on('exit', () => reject(new Error(`exited: ${out}${err}`)))
  })
  assert.match(out, /^PeerFeed app: http:\/\/127\.0\.0\.1:\d+\/login\?token=/m)
  const page = await fetch(`${lanUrl}/`)
  assert.is(page.status, 401)
  assert.match(await page.text(), 'Pair this device')
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  child.kill('SIGINT')
  assert.is(await exited, 0)
  await fetch(`${lanUrl}/`).then(
    () => assert.unreachable('still listening'),
    () => {},
  )
})

test.run()
