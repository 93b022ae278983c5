// Discovery settings from flags and peerfeed.yaml (`dht: { bootstrap: [...], firewalled: false }`): a flag wins.
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { parseBootstrap, type HostPort } from './dht-topic.ts'

/** Route timeouts for sync: LAN answers in tens of ms when the friend is there; a fresh DHT node needs seconds. */
export const LAN_TIMEOUT_MS = 2000
export const DHT_TIMEOUT_MS = 10_000

export interface DhtSettings {
  /** undefined: the public DHT */
  bootstrap?: HostPort[]
  /** false on a host others can reach directly (public address, a loopback testnet); undefined: hyperdht decides */
  firewalled?: boolean
}

const bad = (why: string, cause?: unknown) => new PeerFeedError('BAD_CONFIG', `peerfeed.yaml: ${why}`, { cause })

/** The DHT settings: `--bootstrap` if given, else peerfeed.yaml's `dht.bootstrap`, else the public DHT. */
export async function dhtSettings(l: Layout, bootstrapFlag?: unknown): Promise<DhtSettings> {
  const { loadConfig } = await import('../identity/index.ts')
  const dht = (await loadConfig(l)).dht
  if (dht !== undefined && dht !== null && (typeof dht !== 'object' || Array.isArray(dht)))
    throw bad('dht must be a mapping, e.g. dht: { bootstrap: ["203.0.113.7:49737"] }')
  const { bootstrap, firewalled } = (dht ?? {}) as { bootstrap?: unknown; firewalled?: unknown }
  if (firewalled !== undefined && typeof firewalled !== 'boolean') throw bad('dht.firewalled must be true or false')
  const out: DhtSettings = firewalled === undefined ? {} : { firewalled }

  const flag = Array.isArray(bootstrapFlag) ? bootstrapFlag.join(',') : bootstrapFlag // --bootstrap given twice
  if (flag !== undefined && typeof flag !== 'string')
    throw new PeerFeedError('BAD_BOOTSTRAP', '--bootstrap needs HOST:PORT[,HOST:PORT…], e.g. --bootstrap 203.0.113.7:49737')
  if (typeof flag === 'string' && flag.trim() !== '') return { ...out, bootstrap: parseBootstrap(flag) }
  if (bootstrap === undefined || bootstrap === null) return out
  if (typeof bootstrap !== 'string' && !Array.isArray(bootstrap))
    throw bad('dht.bootstrap must be a list of \'host:port\', e.g. ["203.0.113.7:49737"]')
  try {
    return { ...out, bootstrap: parseBootstrap(bootstrap as string[]) }
  } catch (e) {
    throw bad(`dht.bootstrap: ${(e as Error).message}`, e)
  }
}
