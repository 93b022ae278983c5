// The DHT topic for a fingerprint and the parsing of bootstrap node lists: the pure half of DHT discovery.
import crypto from 'node:crypto'
import { PeerFeedError } from '../errors.ts'

export interface HostPort {
  host: string
  port: number
}

/** Normalised OpenPGP fingerprint: 40 (v4) or 64 (v6) lowercase hex digits, or a PeerFeedError. */
export function normaliseFingerprint(fpr: string): string {
  const f = fpr.replace(/\s+/g, '').toLowerCase()
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(f)) {
    throw new PeerFeedError('BAD_FINGERPRINT', `'${fpr}' is not a key fingerprint (40 or 64 hex digits); see peerfeed peer list`)
  }
  return f
}

/** sha256('peerfeed-v1:' + fingerprint): anyone who knows the fingerprint can find the topic, nobody else. */
export function topicFor(fingerprint: string): Buffer {
  return crypto
    .createHash('sha256')
    .update('peerfeed-v1:' + normaliseFingerprint(fingerprint))
    .digest()
}

/** Accepts `[{host, port}]`, `['host:port']` or one comma-separated string; undefined means the public DHT. */
export function parseBootstrap(list?: Array<HostPort | string> | string): HostPort[] | undefined {
  if (list === undefined) return undefined
  const items =
    typeof list === 'string'
      ? list
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : list
  return items.map((item) => {
    if (typeof item !== 'string') return checkPort(item.host, item.port, `${item.host}:${item.port}`)
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(item.trim())
    if (!m) throw new PeerFeedError('BAD_BOOTSTRAP', `bootstrap node '${item}' is not host:port (e.g. 203.0.113.7:49737)`)
    return checkPort(m[1], Number(m[2]), item)
  })
}

function checkPort(host: string, port: number, shown: string): HostPort {
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PeerFeedError('BAD_BOOTSTRAP', `bootstrap node '${shown}' needs a host and a port between 1 and 65535`)
  }
  return { host, port }
}
