// Bench child (runs inside a network namespace): times findOnLan + one GET for a fingerprint; prints one JSON line.
import crypto from 'node:crypto'
import http from 'node:http'
import { findOnLan, type LanAnnouncement } from '../../src/discovery/mdns.ts'

const [fingerprint, key] = process.argv.slice(2)
const verify = async (a: LanAnnouncement) =>
  crypto.createHmac('sha256', key).update(a.payload).digest('base64') === a.sig ? ('valid' as const) : ('invalid' as const)
const get = (url: string) =>
  new Promise<Buffer>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const c: Buffer[] = []
        res.on('data', (d) => c.push(d))
        res.on('end', () => resolve(Buffer.concat(c)))
      })
      .on('error', reject)
  })
const t0 = performance.now()
const found = await findOnLan(fingerprint, { timeoutMs: 10_000, verify })
const t1 = performance.now()
const body = found ? await get(found.url) : Buffer.alloc(0)
const t2 = performance.now()
if (found) await get(found.url) // a second new connection: the first GET also paid for loading node:http in this fresh process
const t3 = performance.now()
console.log(
  'result ' +
    JSON.stringify({ url: found?.url, findMs: t1 - t0, getMs: t2 - t1, warmGetMs: t3 - t2, totalMs: t2 - t0, bytes: body.length }),
)
