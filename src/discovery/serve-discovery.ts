// `serve --mdns` / `serve --dht`: announces a running server on the LAN and answers its API over the DHT.
import fs from 'node:fs/promises'
import type http from 'node:http'
import type { SecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { serveOverDht, type DhtServeOptions } from './dht.ts'
import { announcementSigner } from './lan-signature.ts'
import { advertise } from './mdns.ts'

export interface Served {
  server: http.Server
  port: number
  fingerprint: string
}

export interface DiscoveryOptions {
  layout: Layout
  /** the address the server listens on: decides where (and whether) the LAN can be told */
  host: string
  mdns?: boolean
  dht?: false | Pick<DhtServeOptions, 'bootstrap' | 'firewalled' | 'host'>
  passphrase?: string
  /** for messages: what is now announced, one line each */
  log?: (line: string) => void
  /** how often to look whether keys/self.asc changed (`key rotate`), in ms; default 5 s */
  keyCheckMs?: number
}

const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/i
const EVERYWHERE = new Set(['0.0.0.0', '::', ''])

/** The mDNS instance name: the owner's name plus 8 fingerprint digits, so two feeds on a LAN never clash. */
export const instanceName = (owner: string, fingerprint: string) =>
  `${(owner.trim() || 'PeerFeed').slice(0, 40)} (${fingerprint.slice(0, 8).toUpperCase()})`

/** Refuses an mDNS announcement nobody could use: a server on loopback is unreachable from the LAN. */
export function lanInterfaceFor(host: string): string | undefined {
  if (LOOPBACK.test(host)) {
    throw new PeerFeedError(
      'MDNS_LOOPBACK',
      `--mdns: the server listens on ${host} only, so nobody on the LAN could connect and there is nothing to announce; serve with --host 0.0.0.0 (every interface) or your LAN address, e.g. peerfeed serve --mdns --host 0.0.0.0`,
    )
  }
  // A specific IPv4 address: multicast on that interface only. IPv6 or every interface: bonjour's default.
  return EVERYWHERE.has(host) || host.includes(':') ? undefined : host
}

/** Starts what was asked for (mDNS, DHT, both); close() stops them all. On failure nothing is left running. */
export async function startDiscovery(served: Served, opts: DiscoveryOptions): Promise<{ close(): Promise<void> }> {
  const log = opts.log ?? (() => {})
  const stops: Array<() => Promise<void>> = []
  // last started, first stopped; until none is left (a rotation followed while closing adds one)
  const close = async () => {
    for (let s = stops.pop(); s; s = stops.pop()) await s()
  }
  const keyCheckMs = opts.keyCheckMs ?? 5000
  try {
    if (opts.mdns) {
      const interfaceAddress = lanInterfaceFor(opts.host)
      const announce = async (key: SecretKey) => {
        const name = instanceName(await ownerName(opts.layout, key), key.fingerprint)
        const ad = await advertise({
          port: served.port,
          name,
          fingerprint: key.fingerprint,
          sign: announcementSigner(key),
          interfaceAddress,
        })
        stops.push(() => ad.close())
        return name
      }
      const name = await announce(await ownerKey(opts.layout, opts.passphrase))
      log(
        `announced on the LAN as "${name}" (_peerfeed._tcp, port ${served.port}${interfaceAddress ? `, interface ${interfaceAddress}` : ''})`,
      )
      // after `key rotate`: a second announcement, signed by the new key; the old one stays for friends who know only it
      stops.push(
        followRotations(
          opts.layout,
          served.fingerprint,
          keyCheckMs,
          async (fp) => {
            const key = await ownerKey(opts.layout, opts.passphrase)
            if (key.fingerprint !== fp) throw new Error(`the secret key is not yet the one keys/self.asc shows (${fp})`)
            log(`announced on the LAN as "${await announce(key)}" too (the new key; the old announcement stays)`)
          },
          log,
        ),
      )
    }
    if (opts.dht) {
      const svc = await serveOverDht({ fingerprint: served.fingerprint, server: served.server, ...opts.dht })
      stops.push(() => svc.close())
      const where = opts.dht.bootstrap
        ? `the DHT of ${[opts.dht.bootstrap]
            .flat()
            .map((b) => (typeof b === 'string' ? b : `${b.host}:${b.port}`))
            .join(', ')}`
        : 'the public DHT'
      log(`answering on ${where} for ${served.fingerprint} (topic ${svc.topic.toString('hex').slice(0, 16)}…)`)
      stops.push(
        followRotations(
          opts.layout,
          served.fingerprint,
          keyCheckMs,
          async (fp) => {
            await svc.join(fp)
            log(`answering on ${where} for ${fp} too (the new key; the old one's topic stays for friends who have not seen it yet)`)
          },
          log,
        ),
      )
    }
  } catch (e) {
    await close()
    throw e
  }
  return { close }
}

/**
 * Calls `onNew` once for each new fingerprint keys/self.asc shows (after `key rotate`): the server itself picks up
 * a rotation on its next request (server/own-keys.ts), but a DHT topic is announced, so it must be told.
 */
function followRotations(
  l: Layout,
  first: string,
  everyMs: number,
  onNew: (fingerprint: string) => Promise<void>,
  log: (line: string) => void,
): () => Promise<void> {
  const seen = new Set([first])
  let stamp = ''
  let running: Promise<void> = Promise.resolve()
  const check = async () => {
    const st = await fs.stat(l.selfPublicKey).catch(() => undefined)
    const now = st ? `${st.ino}:${st.mtimeMs}:${st.size}` : '-'
    if (!st || now === stamp) return
    stamp = now
    const { readKeyFile } = await import('../identity/index.ts')
    const fp = (await readKeyFile(l, l.selfPublicKey)).fingerprint
    if (seen.has(fp)) return
    await onNew(fp) // a failure is tried again on the next tick (stamp reset below)
    seen.add(fp)
  }
  const timer = setInterval(() => {
    running = running.then(check).catch((e) => {
      stamp = ''
      log(`could not announce a new key: ${(e as Error).message}`)
    })
  }, everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}

async function ownerKey(l: Layout, passphrase?: string): Promise<SecretKey> {
  const { loadSelf } = await import('../identity/index.ts')
  return (await loadSelf(l, { passphrase, requireSecret: true })).secretKey!
}

async function ownerName(l: Layout, key: SecretKey): Promise<string> {
  const { loadConfig } = await import('../identity/index.ts')
  const name = (await loadConfig(l)).name
  return typeof name === 'string' && name ? name : key.publicKey.name
}
