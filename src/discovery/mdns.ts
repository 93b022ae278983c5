// LAN discovery over mDNS (bonjour-service): advertise a signed `_peerfeed._tcp`, browse for them, find one friend.
import { Bonjour, type Service } from 'bonjour-service'
import { PeerFeedError } from '../errors.ts'
import {
  mdnsPayload,
  readAnnouncement,
  txtRecord,
  urlOf,
  SERVICE_TYPE,
  type LanAnnouncement,
  type LanPeer,
  type SignatureStatus,
} from './mdns-record.ts'

export { mdnsPayload, urlOf, type LanAnnouncement, type LanPeer, type SignatureStatus } from './mdns-record.ts'
export type Verify = (peer: LanAnnouncement) => Promise<SignatureStatus>

export interface AdvertiseOptions {
  port: number
  name: string
  fingerprint: string
  sign: (payload: string) => Promise<string>
  /** Send and listen for multicast on this interface's address only (default: all interfaces). */
  interfaceAddress?: string
  now?: () => number
}

const open = (interfaceAddress?: string) => {
  const errors: Error[] = []
  // bind 0.0.0.0 even with an interface: a socket bound to a unicast address never receives multicast.
  const b = new Bonjour(interfaceAddress ? ({ interface: interfaceAddress, bind: '0.0.0.0' } as object) : {}, (e: Error) => errors.push(e))
  // multicast-dns emits 'error' when port 5353 cannot be bound; unheard, that event would crash the process.
  ;(b as unknown as { server: { mdns: { on(ev: string, fn: (e: Error) => void): void } } }).server.mdns.on('error', (e) => errors.push(e))
  const close = () => new Promise<void>((resolve) => b.destroy(() => resolve()))
  return { b, errors, close }
}

/** Publishes the announcement; resolves once it is on the air (after the name probe, ~1 s). */
export async function advertise(opts: AdvertiseOptions): Promise<{ close(): Promise<void> }> {
  const ts = Math.floor((opts.now ?? Date.now)() / 1000)
  const txt = txtRecord(opts.fingerprint, ts, await opts.sign(mdnsPayload(opts.fingerprint, opts.port, ts)))
  const { b, errors, close } = open(opts.interfaceAddress)
  const service = b.publish({ name: opts.name.slice(0, 63), type: SERVICE_TYPE, port: opts.port, txt })
  const up = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 5000)
    service.once('up', () => {
      clearTimeout(t)
      resolve(true)
    })
  })
  if (!up) {
    await close()
    throw new PeerFeedError(
      'MDNS_ANNOUNCE_FAILED',
      `could not announce '${opts.name}' on the LAN${errors[0] ? `: ${errors[0].message}` : ' (is the name taken by another feed? choose another)'}`,
    )
  }
  let closing: Promise<void> | null = null
  return {
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000) // goodbye packets are a courtesy; never hang on them
        b.unpublishAll(() => {
          clearTimeout(t)
          resolve()
        })
      }).then(close)),
  }
}

/** Browses until stop(); calls `onPeer` for every announcement heard (again when it changes). Re-queries every second. */
function browse(onPeer: (a: LanAnnouncement) => void) {
  const { b, close } = open()
  const heard = (s: Service) => {
    const a = readAnnouncement(s as never)
    if (a) onPeer(a)
  }
  const browser = b.find({ type: SERVICE_TYPE }, heard)
  browser.on('txt-update', heard)
  browser.on('srv-update', heard)
  const again = setInterval(() => browser.update(), 1000)
  return async () => {
    clearInterval(again)
    browser.stop()
    await close()
  }
}

/** Every PeerFeed announcement heard within `timeoutMs`, each with its signature judged by `verify`. */
export async function discover(opts: { timeoutMs: number; verify?: Verify }): Promise<LanPeer[]> {
  const peers = new Map<string, Promise<LanPeer>>()
  const judge = async (a: LanAnnouncement): Promise<LanPeer> => ({
    ...a,
    signature: opts.verify ? await opts.verify(a).catch(() => 'invalid' as const) : 'unknown',
  })
  const stop = browse((a) => peers.set(`${a.name}|${a.host}`, judge(a)))
  await new Promise((r) => setTimeout(r, opts.timeoutMs))
  await stop()
  return Promise.all(peers.values())
}

/** The first announcement for `fingerprint` whose signature `verify` finds valid, or null after `timeoutMs`. */
export async function findOnLan(
  fingerprint: string,
  opts: { timeoutMs: number; verify: Verify },
): Promise<{ url: string; peer: LanPeer } | null> {
  const want = fingerprint.replace(/\s+/g, '').toLowerCase()
  let stop: (() => Promise<void>) | undefined
  const found = await new Promise<{ url: string; peer: LanPeer } | null>((resolve) => {
    const t = setTimeout(() => resolve(null), opts.timeoutMs)
    stop = browse(async (a) => {
      if (a.fingerprint !== want) return
      if ((await opts.verify(a).catch(() => 'invalid')) !== 'valid') return
      clearTimeout(t)
      resolve({ url: urlOf(a), peer: { ...a, signature: 'valid' } })
    })
  })
  await stop?.()
  return found
}
