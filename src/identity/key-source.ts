// Where `peer add` finds a key: a file, a key URL, or a friend's PeerFeed address (then <base>/key.asc).
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** Keys are a few KB; anything far larger is not a key and should not fill memory. */
const MAX_KEY_BYTES = 1 << 20

export interface KeyBytes {
  data: string | Uint8Array
  /** Where the key came from, for messages. */
  origin: string
}

const isUrl = (s: string) => /^https?:\/\//i.test(s)

export async function readKeySource(
  source: string,
  { fetch = globalThis.fetch as Fetch, cwd = process.cwd(), timeoutMs = 15_000 }: { fetch?: Fetch; cwd?: string; timeoutMs?: number } = {},
): Promise<KeyBytes> {
  if (isUrl(source)) return fetchKey(source, fetch, timeoutMs)
  const file = path.resolve(cwd, source)
  let buf: Buffer
  try {
    const st = await fs.stat(file)
    if (st.size > MAX_KEY_BYTES) throw new PeerFeedError('NOT_A_KEY', `${source} is ${st.size} bytes, far too large to be a public key.`)
    buf = await fs.readFile(file)
  } catch (e) {
    if (e instanceof PeerFeedError) throw e
    throw new PeerFeedError(
      'NO_KEY_SOURCE',
      `cannot read ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}. Give a key file, a key URL, or your friend's PeerFeed address (https://…).`,
      { cause: e },
    )
  }
  return { data: asKeyData(buf), origin: source }
}

/** Armored keys are text; binary keys (gpg --export) stay bytes. */
function asKeyData(buf: Uint8Array): string | Uint8Array {
  const head = Buffer.from(buf.subarray(0, 4096)).toString('latin1')
  return head.includes('-----BEGIN PGP') ? Buffer.from(buf).toString('utf8') : buf
}

function looksLikeKey(buf: Uint8Array, contentType: string): boolean {
  if (/pgp-keys|octet-stream/i.test(contentType)) return true
  if (/html/i.test(contentType)) return false
  const head = Buffer.from(buf.subarray(0, 4096)).toString('latin1')
  if (head.includes('-----BEGIN PGP')) return true
  // An OpenPGP packet header has the top bit set; text and HTML never start that way.
  return buf.length > 0 && (buf[0] & 0x80) !== 0
}

async function get(url: string, fetch: Fetch, timeoutMs: number): Promise<{ status: number; type: string; body: Uint8Array }> {
  let res: Response
  try {
    res = await fetch(url, {
      headers: { accept: 'application/pgp-keys, text/plain;q=0.9, */*;q=0.1' },
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    throw new PeerFeedError(
      'KEY_FETCH_FAILED',
      `cannot fetch ${url}: ${(cause as Error).message}. Check the address and your connection.`,
      { cause },
    )
  }
  const body = new Uint8Array(await res.arrayBuffer())
  if (body.length > MAX_KEY_BYTES)
    throw new PeerFeedError('NOT_A_KEY', `${url} answered ${body.length} bytes, far too large to be a public key.`)
  return { status: res.status, type: res.headers.get('content-type') ?? '', body }
}

async function fetchKey(url: string, fetch: Fetch, timeoutMs: number): Promise<KeyBytes> {
  const first = await get(url, fetch, timeoutMs)
  if (first.status >= 200 && first.status < 300 && looksLikeKey(first.body, first.type)) return { data: asKeyData(first.body), origin: url }
  // A feed's home page (HTML) or a 404 at the base: the key lives at <base>/key.asc.
  const u = new URL(url)
  if (!u.pathname.endsWith('/key.asc')) {
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/key.asc`
    u.search = ''
    u.hash = ''
    const keyUrl = u.toString()
    const second = await get(keyUrl, fetch, timeoutMs)
    if (second.status >= 200 && second.status < 300) return { data: asKeyData(second.body), origin: keyUrl }
    throw new PeerFeedError(
      'KEY_FETCH_FAILED',
      `no key at ${url} (HTTP ${first.status}${first.type ? `, ${first.type}` : ''}) nor at ${keyUrl} (HTTP ${second.status}). Ask your friend for their key file or exact key URL.`,
    )
  }
  if (first.status >= 200 && first.status < 300) return { data: asKeyData(first.body), origin: url }
  throw new PeerFeedError(
    'KEY_FETCH_FAILED',
    `no key at ${url} (HTTP ${first.status}). Ask your friend for their key file or exact key URL.`,
  )
}
