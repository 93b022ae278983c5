// Sync's routes after the followed URL: the LAN (a signed mDNS announcement), then the DHT — each opened only
// when every route before it failed, each with its own timeout; one DHT node for the whole run. Their libraries
// are loaded only then (hyperdht and bonjour-service took ~0.15 s of every `peerfeed sync`'s start).
import { PeerFeedError } from '../errors.ts'
import { formatFingerprint } from '../identity/names.ts'
import { chainRoutes, urlRoutes, type Fetch, type FollowTarget, type LazyRoute, type RouteResolver } from '../sync/transport.ts'
import type { DhtClient, DhtClientOptions } from './dht-client.ts'
import { dhtFetch } from './dht-fetch.ts'
import { checkAnnouncement } from './lan-signature.ts'
import { DHT_TIMEOUT_MS, LAN_TIMEOUT_MS } from './settings.ts'

export interface DiscoveryRouteOptions {
  /** false: do not look on the LAN (--no-lan) */
  lan?: false | { timeoutMs?: number }
  /** false: do not use the DHT (--no-dht) */
  dht?: false | (Pick<DhtClientOptions, 'bootstrap' | 'host'> & { timeoutMs?: number })
  fetch?: Fetch
}

const seconds = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`
const unreachable = (message: string) => new PeerFeedError('UNREACHABLE', message)
const off = (via: string, flag: string): LazyRoute => ({
  via,
  open: async () => {
    throw unreachable(`off (${flag})`)
  },
})
const shortFpr = (fpr: string) => formatFingerprint(fpr).slice(0, 9).replace(' ', '')

function lanRoute(t: FollowTarget, timeoutMs: number, fetch: Fetch): LazyRoute {
  return {
    via: 'lan',
    async open() {
      const key = t.key
      if (!key) throw unreachable('no key to check an announcement with')
      const { findOnLan } = await import('./mdns.ts')
      const found = await findOnLan(key.fingerprint, { timeoutMs, verify: (a) => checkAnnouncement(a, key) })
      if (!found) throw unreachable(`no signed announcement of ${shortFpr(key.fingerprint)}… within ${seconds(timeoutMs)}`)
      return { via: 'lan', base: found.url, fetch }
    },
  }
}

function dhtRoute(t: FollowTarget, client: () => Promise<DhtClient>, timeoutMs: number): LazyRoute {
  return {
    via: 'dht',
    async open() {
      const fpr = t.fingerprint ?? t.key?.fingerprint
      if (!fpr) throw unreachable('no fingerprint to look up')
      const c = await client()
      // Any HTTP answer proves a peer on the topic accepted us; the connection stays open for the real requests.
      try {
        await c.fetchFrom(fpr, '/', { method: 'HEAD', timeoutMs })
      } catch (e) {
        throw unreachable(
          (e as PeerFeedError).code === 'DHT_TIMEOUT'
            ? `no peer on the topic of ${shortFpr(fpr)}… answered within ${seconds(timeoutMs)}`
            : (e as Error).message,
        )
      }
      // The host part only names the route in messages and keeps attachment URLs on one origin; fetch ignores it.
      return { via: 'dht', base: 'http://dht.peerfeed.invalid/', label: `the DHT (${shortFpr(fpr)}…)`, fetch: dhtFetch(c, fpr) }
    },
  }
}

/** The followed URL, then the LAN, then the DHT. close() ends the DHT node if one was started. */
export function discoveryRoutes(opts: DiscoveryRouteOptions = {}): { routes: RouteResolver; close(): Promise<void> } {
  const fetch = opts.fetch ?? (globalThis.fetch as Fetch)
  let client: Promise<DhtClient> | undefined
  const dht = opts.dht
  const getClient = () =>
    (client ??= import('./dht-client.ts').then((m) =>
      m.dhtClient({ bootstrap: dht ? dht.bootstrap : undefined, host: dht ? dht.host : undefined }),
    ))
  const discovered: RouteResolver = async (t) => [
    opts.lan === false ? off('lan', '--no-lan') : lanRoute(t, opts.lan?.timeoutMs ?? LAN_TIMEOUT_MS, fetch),
    dht === false ? off('dht', '--no-dht') : dhtRoute(t, getClient, dht?.timeoutMs ?? DHT_TIMEOUT_MS),
  ]
  return {
    routes: chainRoutes(urlRoutes(fetch), discovered),
    close: async () => {
      const c = client
      client = undefined
      // a client that never started has nothing to close
      await c?.then(
        (x) => x.close(),
        () => {},
      )
    },
  }
}
