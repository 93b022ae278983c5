// Child process for the LAN test: lists announcements, finds one fingerprint, fetches its URL; prints JSON lines.
import crypto from 'node:crypto'
import { isMain } from '../netns.ts'
import { discover, findOnLan, type LanAnnouncement } from '../../../src/discovery/mdns.ts'

// Only when run as a script: uvu, given this folder without a pattern, imports it too.
if (isMain(import.meta.url)) {
  const [fingerprint, key] = process.argv.slice(2)
  const verify = async (a: LanAnnouncement) => {
    const want = crypto.createHmac('sha256', key).update(a.payload).digest()
    const got = Buffer.from(a.sig, 'base64')
    return got.length === want.length && crypto.timingSafeEqual(got, want) ? ('valid' as const) : ('invalid' as const)
  }

  const found = await findOnLan(fingerprint, { timeoutMs: 8000, verify })
  const body = found ? await (await fetch(found.url)).text() : null
  console.log('found ' + JSON.stringify({ url: found?.url ?? null, body }))
  const peers = await discover({ timeoutMs: 1500, verify })
  console.log('peers ' + JSON.stringify(peers))
}
