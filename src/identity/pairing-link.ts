// The short-lived pairing link of `device add` (docs/devices.md): the export — already protected by its passphrase —
// served once over HTTP on the LAN, at a path holding a random 256-bit token, for a few minutes; and the fetch that
// `device join URL` makes. Nothing but the protected export ever travels; a wrong path gets the same bare 404 as any.
import crypto from 'node:crypto'
import http from 'node:http'
import { PeerFeedError } from '../errors.ts'

export const LINK_MINUTES = 10
/** An export is a few KB; anything much bigger is not one. */
const MAX_EXPORT_BYTES = 1024 * 1024

export type PairingEnd = { fetched: true; by: string } | { fetched: false }

export interface PairingLink {
  url: string
  /** resolves once, when the export has been sent or the time is up (the server is closed by then) */
  done: Promise<PairingEnd>
  /** stops the link now (done resolves unfetched) */
  close(): void
}

/**
 * Serves `body` once at http://HOST:PORT/pair/TOKEN for `ttlMs`, then stops. Any other request — a wrong token, another
 * path or method, a second fetch — gets an empty 404 and is reported through `onRefused`.
 */
export async function servePairingLink({
  body,
  host,
  port = 0,
  ttlMs = LINK_MINUTES * 60_000,
  onRefused,
}: {
  body: string
  host: string
  port?: number
  ttlMs?: number
  onRefused?: (from: string) => void
}): Promise<PairingLink> {
  const token = crypto.randomBytes(32).toString('base64url')
  const want = Buffer.from(`/pair/${token}`)
  let served = false
  let end!: (e: PairingEnd) => void
  const done = new Promise<PairingEnd>((resolve) => (end = resolve))
  const server = http.createServer((req, res) => {
    const got = Buffer.from(req.url ?? '')
    const ok = !served && req.method === 'GET' && got.length === want.length && crypto.timingSafeEqual(got, want)
    const from = req.socket.remoteAddress ?? 'unknown'
    if (!ok) {
      onRefused?.(from)
      res.writeHead(404, { 'content-length': '0', connection: 'close' }).end()
      return
    }
    served = true // before the first byte: two requests racing never both get it
    res.writeHead(200, {
      'content-type': 'application/pgp-keys',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      connection: 'close',
    })
    res.end(body, () => finish({ fetched: true, by: from }))
  })
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  let timer: NodeJS.Timeout | undefined
  const finish = (e: PairingEnd) => {
    clearTimeout(timer)
    server.close()
    server.closeAllConnections()
    end(e)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new PeerFeedError(
          'LINK_FAILED',
          `cannot serve the pairing link on ${host}:${port}: ${e.message}${e.code === 'EADDRNOTAVAIL' ? ' (not an address of this machine: give another with --bind ADDRESS)' : ''}`,
          { cause: e },
        ),
      ),
    )
    server.listen(port, host, () => resolve())
  })
  timer = setTimeout(() => finish({ fetched: false }), ttlMs)
  const { port: bound } = server.address() as { port: number }
  const h = host.includes(':') ? `[${host}]` : host
  return { url: `http://${h}:${bound}/pair/${token}`, done, close: () => finish({ fetched: false }) }
}

export const isLink = (s: string) => /^https?:\/\//i.test(s)

/** Fetches an export from a pairing link; every failure says what to do on the other device. */
export async function fetchPairingLink(url: string, { timeoutMs = 60_000 } = {}): Promise<string> {
  const again = 'run `peerfeed device add --link` again on the device that has the key'
  let res: Response
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' })
  } catch (cause) {
    throw new PeerFeedError(
      'LINK_UNREACHABLE',
      `cannot reach ${url} (${(cause as Error).cause ? ((cause as Error).cause as Error).message : (cause as Error).message}): is \`peerfeed device add\` still running there, and are both devices on the same network? Or move the export file and run device join FILE.`,
      { cause },
    )
  }
  if (res.status !== 200) {
    await res.body?.cancel()
    throw new PeerFeedError(
      'LINK_GONE',
      `${url} gave nothing (HTTP ${res.status}): a pairing link works once and for a few minutes, and must be typed exactly; ${again}.`,
    )
  }
  if (Number(res.headers.get('content-length') ?? 0) > MAX_EXPORT_BYTES) {
    await res.body?.cancel()
    throw new PeerFeedError('LINK_NOT_EXPORT', `${url} did not give a key export made by \`peerfeed device add\`; ${again}.`)
  }
  // read up to the cap, never more: a link without (or lying about) its length cannot make us hold an endless body
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.length
    if (size > MAX_EXPORT_BYTES) {
      await res.body?.cancel().catch(() => {})
      throw new PeerFeedError('LINK_NOT_EXPORT', `${url} sent more than an export's ${MAX_EXPORT_BYTES} bytes; ${again}.`)
    }
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----'))
    throw new PeerFeedError('LINK_NOT_EXPORT', `${url} did not give a key export made by \`peerfeed device add\`; ${again}.`)
  return text
}
