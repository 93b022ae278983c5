// Child process for the LAN test: serves HTTP and advertises it signed, plus a spoofed announcement with a bad signature.
import crypto from 'node:crypto'
import { isMain } from '../netns.ts'
import http from 'node:http'
import { advertise } from '../../../src/discovery/mdns.ts'

// Only when run as a script: uvu, given this folder without a pattern, imports it too.
if (isMain(import.meta.url)) {
  const [fingerprint, port, key] = process.argv.slice(2)
  const hmac = (k: string) => async (p: string) => crypto.createHmac('sha256', k).update(p).digest('base64')

  const server = http.createServer((_req, res) => res.end(`hello from ${fingerprint}`))
  await new Promise<void>((r) => server.listen(Number(port), '0.0.0.0', r))
  const [real, spoof] = await Promise.all([
    advertise({ port: Number(port), name: 'ada', fingerprint, sign: hmac(key) }),
    // Someone else on the LAN claims the same fingerprint at another port, without the key.
    advertise({ port: Number(port) + 1, name: 'mallory', fingerprint, sign: hmac('not-the-key') }),
  ])
  console.log('ready')

  process.stdin.resume()
  process.stdin.on('end', async () => {
    await Promise.all([real.close(), spoof.close()])
    server.close()
    console.log('closed')
  })
}
