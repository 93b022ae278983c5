// Discovery bench: time to first response, and to first post (a sync of one post), through the DHT testnet and
// through mDNS, beside direct HTTP on loopback.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import createTestnet from 'hyperdht/testnet.js'
import { dhtClient, serveOverDht } from '../src/discovery/dht.ts'
import { advertise, findOnLan, type LanAnnouncement } from '../src/discovery/mdns.ts'
import { startDiscovery } from '../src/discovery/serve-discovery.ts'
import { discoveryRoutes } from '../src/discovery/sync-routes.ts'
import { BIN } from '../test/helpers/index.ts'
import { makeFeed, type TestFeed } from '../test/helpers/peers.ts'
import { need } from '../test/helpers/tools.ts'
import { vethPair } from '../test/discovery/netns.ts'

const FPR = '0123456789abcdef0123456789abcdef01234567'
const KEY = 'bench-key'
const SMALL = Buffer.alloc(4096, 'a')
const LARGE = Buffer.alloc(1 << 20, 'b')
const ms = (n: number) => `${n.toFixed(2)} ms`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now()
  const r = await fn()
  return [r, performance.now() - t]
}

const app = () => http.createServer((req, res) => res.end(req.url === '/large' ? LARGE : SMALL))

/** node:http GET (what dhtClient uses too); `agent` false = a new TCP connection. */
const get = (url: string, agent: http.Agent | false) =>
  new Promise<Buffer>((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const c: Buffer[] = []
        res.on('data', (d) => c.push(d))
        res.on('end', () => resolve(Buffer.concat(c)))
      })
      .on('error', reject)
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
  const [svc, announce] = await timed(() =>
    serveOverDht({ fingerprint: FPR, server, bootstrap: testnet.bootstrap, firewalled: false, host: '127.0.0.1' }),
  )
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
    await client.close()
    await svc.close()
    server.close()
    await testnet.destroy()
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
    } finally {
      await net.close()
    }
  }
  const server = app()
  await new Promise<void>((r) => server.listen(0, r))
  const port = (server.address() as AddressInfo).port
  const sign = async (p: string) => crypto.createHmac('sha256', KEY).update(p).digest('base64')
  const ad = await advertise({ port, name: `bench-${process.pid}`, fingerprint: FPR, sign })
  try {
    const verify = async (a: LanAnnouncement) => ((await sign(a.payload)) === a.sig ? ('valid' as const) : ('invalid' as const))
    const [found, findMs] = await timed(() => findOnLan(FPR, { timeoutMs: 10_000, verify }))
    const [body, getMs] = await timed(() => get(found!.url, false))
    return {
      where: "one process, the machine's real interface (no network namespaces here)",
      findMs,
      getMs,
      totalMs: findMs + getMs,
      bytes: body.length,
    }
  } finally {
    await ad.close()
    server.close()
  }
}

/** Forgets what Bob synced, so the next sync fetches the post again. */
const forget = async (bob: TestFeed) => {
  await fs.rm(bob.layout.inbox, { recursive: true, force: true })
  await fs.rm(`${bob.layout.state}/sync`, { recursive: true, force: true })
}

/** Time for Bob to sync Alice's one post: direct URL, then the DHT testnet (followed by key alone), then the LAN. */
async function firstPost() {
  const [alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  const closers: Array<() => Promise<void>> = [() => alice.close(), () => bob.close()]
  try {
    await alice.befriend(bob)
    await bob.befriend(alice)
    await alice.post({ text: 'one post' })
    await alice.build()
    const server = await alice.serve()
    const syncOnce = async (routes?: ReturnType<typeof discoveryRoutes>) => {
      await forget(bob)
      const [s, t] = await timed(() => bob.sync(routes ? { routes: routes.routes } : {}))
      await routes?.close()
      if (s.failed || s.new !== 1) throw new Error(`sync failed: ${JSON.stringify(s.friends[0])}`)
      return t
    }
    const med5 = async (fn: () => Promise<number>) => {
      const xs: number[] = []
      for (let i = 0; i < 5; i++) xs.push(await fn())
      return median(xs)
    }
    await bob.follow('alice', server.url)
    await syncOnce() // warm up: openpgp, schemas, the server's caches
    const direct = await med5(() => syncOnce())

    const testnet = await createTestnet(3)
    closers.unshift(() => testnet.destroy())
    const d = await startDiscovery(server, {
      layout: alice.layout,
      host: '127.0.0.1',
      dht: { bootstrap: testnet.bootstrap, firewalled: false, host: '127.0.0.1' },
    })
    closers.unshift(() => d.close())
    await bob.follow('alice')
    const viaDht = await med5(() => syncOnce(discoveryRoutes({ lan: false, dht: { bootstrap: testnet.bootstrap, host: '127.0.0.1' } })))

    let lan: { where: string; coldMs: number; warmMs: number } | undefined
    if (need.netns().ok) {
      const net = vethPair('sync')
      try {
        const serve = net.run(net.a, BIN, ['serve', '--mdns', '--host', '0.0.0.0', '--port', '0', '--root', alice.layout.root])
        await serve.line(/^announced on the LAN/)
        const r = JSON.parse((await net.run(net.b, 'bench/children/lan-sync.ts', [bob.layout.root]).line(/^result /, 30_000)).slice(7))
        lan = { where: 'two namespaces over veth; `serve --mdns` in one, sync in a fresh process in the other', ...r }
      } finally {
        await net.close()
      }
    }
    return { direct, viaDht, lan }
  } finally {
    for (const c of closers) await c()
  }
}

export async function run() {
  console.log('discovery: time to first response (4 KiB body), then keep-alive requests (median of 20) and 1 MiB')
  const d = await direct()
  console.log(`  direct HTTP, loopback     first ${ms(d.first)}   again ${ms(d.again)}   1 MiB ${ms(d.large)}`)
  const h = await dht()
  console.log(
    `  DHT testnet (3 nodes)     first ${ms(h.first)} (new DHT node + topic lookup + Noise connect + GET; ${ms(h.cold)} cold)   again ${ms(h.again)}   1 MiB ${ms(h.large)}`,
  )
  console.log(`                            [serveOverDht announce ${ms(h.announce)}; bodies ${h.bytes.join(' / ')} B]`)
  const m = await mdns()
  console.log(`  mDNS (${m.where})`)
  const warmGet = m.warmGetMs === undefined ? '' : `; a second new-connection GET ${ms(m.warmGetMs)}`
  console.log(
    `                            first ${ms(m.totalMs)} (findOnLan ${ms(m.findMs)} + GET ${ms(m.getMs)}${warmGet}; body ${m.bytes} B)`,
  )
  console.log("discovery: time to first post — a whole sync of a friend's one post (signed request, private + public, checks, inbox)")
  const p = await firstPost()
  console.log(`  direct HTTP, loopback     ${ms(p.direct)}   (followed URL; warm process; median of 5)`)
  console.log(
    `  DHT testnet (3 nodes)     ${ms(p.viaDht)}   (followed by key alone: new DHT node + lookup + connect + sync; warm process; median of 5)`,
  )
  if (p.lan)
    console.log(
      `  mDNS (${p.lan.where})\n                            ${ms(p.lan.warmMs)} warm (median of 5), ${ms(p.lan.coldMs)} cold (findOnLan + sync)`,
    )
  else console.log('  mDNS                      skipped: needs `ip netns` (root) to run two hosts on one machine')
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
