// The pure half of LAN discovery: the signed payload, the TXT record we publish, and reading one back.
import { PeerFeedError } from '../errors.ts'
import { normaliseFingerprint } from './dht-topic.ts'

export const SERVICE_TYPE = 'peerfeed'
export type SignatureStatus = 'valid' | 'invalid' | 'unknown'

/** What a signature covers. Addresses are not in it: they change with the network, so they stay a hint. */
export const mdnsPayload = (fingerprint: string, port: number, ts: number) =>
  `peerfeed-mdns-v1\n${normaliseFingerprint(fingerprint)}\n${port}\n${ts}`

/** An announcement as heard, before its signature is judged. */
export interface LanAnnouncement {
  name: string
  fingerprint: string
  host: string
  addresses: string[]
  port: number
  ts: number
  /** The raw detached signature from TXT `sig` (base64), empty when missing. */
  sig: string
  payload: string
  /** The address the announcement came from. */
  from?: string
}

export interface LanPeer extends LanAnnouncement {
  signature: SignatureStatus
}

/** TXT entries for an announcement; each `key=value` must fit DNS's 255-byte string limit. */
export function txtRecord(fingerprint: string, ts: number, sig: string): Record<string, string> {
  const txt = { v: '1', fpr: normaliseFingerprint(fingerprint), ts: String(ts), sig }
  for (const [k, v] of Object.entries(txt)) {
    if (Buffer.byteLength(`${k}=${v}`) > 255) {
      throw new PeerFeedError(
        'MDNS_TXT_TOO_LONG',
        `the mDNS TXT entry '${k}' is ${Buffer.byteLength(v)} bytes; it must stay under 252 (use a compact detached signature)`,
      )
    }
  }
  return txt
}

interface HeardService {
  name?: string
  host?: string
  port?: number
  addresses?: string[]
  txt?: Record<string, unknown>
  referer?: { address: string }
}

/** A bonjour service back as an announcement, or null when it is not a PeerFeed v1 announcement. */
export function readAnnouncement(s: HeardService): LanAnnouncement | null {
  const txt = s.txt ?? {}
  const fpr = String(txt.fpr ?? '').toLowerCase()
  const ts = Number(txt.ts)
  if (txt.v !== '1' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(fpr) || !Number.isInteger(ts) || !s.port) return null
  return {
    name: s.name ?? '',
    fingerprint: fpr,
    host: s.host ?? '',
    addresses: [...(s.addresses ?? [])],
    port: s.port,
    ts,
    sig: typeof txt.sig === 'string' ? txt.sig : '',
    payload: mdnsPayload(fpr, s.port, ts),
    from: s.referer?.address,
  }
}

/** The URL to try: the address the packet came from when it is announced too, else the first IPv4. */
export function urlOf(p: LanAnnouncement): string {
  const v4 = p.addresses.filter((a) => !a.includes(':'))
  const addr = (p.from && p.addresses.includes(p.from) ? p.from : undefined) ?? v4[0] ?? p.from ?? p.addresses[0]
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${p.port}/`
}
