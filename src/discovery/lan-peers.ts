// `peerfeed discover`: every PeerFeed feed announced on the LAN, who it is to us, and whether its signature holds.
import { readPublicKey, type PublicKey } from '../crypto/index.ts'
import type { Layout } from '../paths.ts'
import type { Fetch } from '../sync/transport.ts'
import { checkAnnouncement } from './lan-signature.ts'
import { discover, urlOf, type LanAnnouncement, type SignatureStatus } from './mdns.ts'

export interface LanFeed {
  name: string
  fingerprint: string
  /** address:port to reach it at (what sync would use) */
  address: string
  url: string
  addresses: string[]
  port: number
  /** the petname when the key is in keys/, 'me' for our own feed, null for a stranger */
  friend: string | null
  signature: SignatureStatus
  /** where the key that judged the signature came from: 'keys/alice.asc', 'peer' (its /key.asc), or none */
  keyFrom?: string
  /** the signature verdict in words: 'valid', 'valid (key from peer)', 'unknown (…)', 'invalid (…)' */
  verdict: string
}

type Verdict = Pick<LanFeed, 'friend' | 'signature' | 'keyFrom' | 'verdict'>

/** Listens for `timeoutMs`; friends are checked against keys/, strangers against the key they serve at /key.asc. */
export async function discoverFeeds(l: Layout, opts: { timeoutMs: number; fetch?: Fetch; keyTimeoutMs?: number }): Promise<LanFeed[]> {
  const { scanPeers, readKeyFile, readKeySource } = await import('../identity/index.ts')
  const known = new Map<string, { name: string; key: PublicKey; file: string }>()
  for (const p of await scanPeers(l)) if (p.key) known.set(p.key.fingerprint, { name: p.name, key: p.key, file: `keys/${p.name}.asc` })
  const self = await readKeyFile(l, l.selfPublicKey).catch(() => undefined)
  if (self) known.set(self.fingerprint, { name: 'me', key: self, file: 'keys/self.asc' })

  const strangerKey = async (a: LanAnnouncement): Promise<PublicKey | string> => {
    const url = new URL('key.asc', urlOf(a)).href
    try {
      const { data } = await readKeySource(url, { fetch: opts.fetch, timeoutMs: opts.keyTimeoutMs ?? 3000 })
      return await readPublicKey(data, { source: url })
    } catch (e) {
      return `no key from ${url}: ${(e as Error).message.split('. ')[0]}`
    }
  }

  const verdicts = new Map<string, Promise<Verdict>>()
  const judge = (a: LanAnnouncement) => {
    const id = `${a.fingerprint}|${a.port}|${a.sig}|${urlOf(a)}`
    let v = verdicts.get(id)
    if (!v) {
      v = (async (): Promise<Verdict> => {
        const k = known.get(a.fingerprint)
        if (k) {
          const signature = await checkAnnouncement(a, k.key)
          return { friend: k.name, signature, keyFrom: k.file, verdict: signature }
        }
        const key = await strangerKey(a)
        if (typeof key === 'string') return { friend: null, signature: 'unknown', verdict: `unknown (${key})` }
        if (key.fingerprint !== a.fingerprint)
          return {
            friend: null,
            signature: 'invalid',
            keyFrom: 'peer',
            verdict: `invalid (the peer serves another key, ${key.fingerprint.slice(0, 8)}…)`,
          }
        const signature = await checkAnnouncement(a, key)
        return { friend: null, signature, keyFrom: 'peer', verdict: signature === 'valid' ? 'valid (key from peer)' : 'invalid' }
      })()
      verdicts.set(id, v)
    }
    return v
  }

  const heard = await discover({ timeoutMs: opts.timeoutMs, verify: async (a) => (await judge(a)).signature })
  const rows = await Promise.all(
    heard.map(async (p): Promise<LanFeed> => {
      const url = urlOf(p)
      return {
        name: p.name,
        fingerprint: p.fingerprint,
        address: new URL(url).host,
        url,
        addresses: p.addresses,
        port: p.port,
        ...(await judge(p)),
      }
    }),
  )
  const rank = (r: LanFeed) => (r.friend === 'me' ? 2 : r.friend ? 0 : 1)
  return rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}
