// Discovery bench: time to first response through the DHT testnet and through mDNS, beside direct HTTP on loopback.
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import createTestnet from 'hyperdht/testnet.js'
import { dhtClient, serveOverDht } from '../src/discovery/dht.ts'
import { advertise, findOnLan, type LanAnnouncement } from '../src/discovery/mdns.ts'
import { need } from '../test/helpers/tools.ts'
import { vethPair } from '../test/discovery/netns.ts'

const FPR = '0123456789abcdef0123456789abcdef01234567'
const KEY = 'bench-key'
const SMALL = Buffer.alloc(4096, 'a')
const LARGE = Buffer.alloc(1 << 20, 'b')
const ms = (n: number) => `${n.toFixed(2)} ms`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t = performance.now(); const r = await fn(); return [r, performance.now() - t] }

const app = () => http.createServer((req, res) => res.end(req.url === '/large' ? LARGE : SMALL))

/** node:http GET (what dhtClient uses too); `agent` false = a new TCP connection. */
const get = (url: string, agent: http.Agent | false) => new Promise<Buffer>((resolve, reject) => {
  http.get(url, { agent }, (res) => { const c: Buffer[] = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve(Buffer.concat(c))) }).on('error', reject)
})

async function direct() {
  const server = app()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await get(`${base}/small`, false) // warm up node:http itself, so `first` is the connection, not module loading
  const [, first] = await timed(() => get(`${base}/small`, false))
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const again: number[] = []
  for (let i = 0; i < 20; i++) again.push((await timed(() => get(`${base}/small`, agent)))[1])
  const [, large] = await timed(() => get(`${base}/large`, agent))
  agent.destroy()
  server.close()
  return { first, again: median(again), large }
}

async function dht() {
  const testnet = await createTestnet(3)
  const server = app()
  const [svc, announce] = await timed(() => serveOverDht({ fingerprint: FPR, server, bootstrap: testnet.bootstrap, firewalled: false, host: '127.0.0.1' }))
  const warm = dhtClient({ bootstrap: testnet.bootstrap, host: '127.0.0.1' })
  const [, cold] = await timed(() => warm.fetchFrom(FPR, '/small')) // includes JIT of hyperdht's connect path
  await warm.close()
  const client = dhtClient({ bootstrap: testnet.bootstrap, host: '127.0.0.1' })
  try {
    const [r, first] = await timed(() => client.fetchFrom(FPR, '/small'))
    const again: number[] = []
    for (let i = 0; i < 20; i++) again.push((await timed(() => client.fetchFrom(FPR, '/small')))[1])
    const [big, large] = await timed(() => client.fetchFrom(FPR, '/large'))
    return { announce, cold, first, again: median(again), large, bytes: [r.body.length, big.body.length] }
  } finally {
    await client.close(); await svc.close(); server.close(); await testnet.destroy()
  }
}

/** Between two namespaces when we may make them; otherwise in-process on the machine's real interface. */
async function mdns(): Promise<{ where: string; findMs: number; getMs: number; warmGetMs?: number; totalMs: number; bytes: number }> {
  if (need.netns().ok) {
    const net = vethPair('bench')
    try {
      const adv = net.run(net.a, 'test/discovery/children/lan-advertiser.ts', [FPR, '8472', KEY])
      await adv.line(/^ready$/)
      const r = JSON.parse((await net.run(net.b, 'bench/children/lan-find.ts', [FPR, KEY]).line(/^result /)).slice(7))
      return { where: 'two network namespaces joined by veth', ...r }
    } finally { await net.close() }
  }
  const server = app()
  await new Promise<void>((r) => server.listen(0, r))
  const port = (server.address() as AddressInfo).port
  const sign = async (p: string) => crypto.createHmac('sha256', KEY).update(p).digest('base64')
  const ad = await advertise({ port, name: `bench-${process.pid}`, fingerprint: FPR, sign })
  try {
    const verify = async (a: LanAnnouncement) => ((await sign(a.payload)) === a.sig ? 'valid' as const : 'invalid' as const)
    const [found, findMs] = await timed(() => findOnLan(FPR, { timeoutMs: 10_000, verify }))
    const [body, getMs] = await timed(() => get(found!.url, false))
    return { where: 'one process, the machine\'s real interface (no network namespaces here)', findMs, getMs, totalMs: findMs + getMs, bytes: body.length }
  } finally { await ad.close(); server.close() }
}

export async function run() {
  console.log('discovery: time to first response (4 KiB body), then keep-alive requests (median of 20) and 1 MiB')
  const d = await direct()
  console.log(`  direct HTTP, loopback     first ${ms(d.first)}   again ${ms(d.again)}   1 MiB ${ms(d.large)}`)
  const h = await dht()
  console.log(`  DHT testnet (3 nodes)     first ${ms(h.first)} (new DHT node + topic lookup + Noise connect + GET; ${ms(h.cold)} cold)   again ${ms(h.again)}   1 MiB ${ms(h.large)}`)
  console.log(`                            [serveOverDht announce ${ms(h.announce)}; bodies ${h.bytes.join(' / ')} B]`)
  const m = await mdns()
  console.log(`  mDNS (${m.where})`)
  const warmGet = m.warmGetMs === undefined ? '' : `; a second new-connection GET ${ms(m.warmGetMs)}`
  console.log(`                            first ${ms(m.totalMs)} (findOnLan ${ms(m.findMs)} + GET ${ms(m.getMs)}${warmGet}; body ${m.bytes} B)`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
