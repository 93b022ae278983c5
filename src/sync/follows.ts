// .peerfeed/follows.yaml: where each followed friend serves (a friend may have no URL: sync finds them by key).
// A name without a key in keys/ is a "public follow": its key is fetched once from URL/key.asc and kept in
// .peerfeed/sync/keys/NAME.asc (trust on first use).
import fs from 'node:fs/promises'
import path from 'node:path'
import YAML from 'yaml'
import { readPublicKey, type PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import type { Fetch } from './transport.ts'

export interface Follow {
  name: string
  /** absent for a friend followed by key alone: sync then looks on the LAN and the DHT */
  url?: string
  /** set for public follows: the fingerprint of the key fetched at follow time */
  fingerprint?: string
}

export interface Followed extends Follow {
  key: PublicKey
  /** true when NAME is a friend (keys/NAME.asc), false for a public follow */
  friend: boolean
}

const HEADER =
  ' Where friends serve their feeds (peerfeed follow NAME [URL]; no URL: sync finds them on the LAN or the DHT).\n Local, never published.'
export const publicKeyFile = (l: Layout, name: string) => path.join(l.state, 'sync', 'keys', `${name}.asc`)

export async function readFollows(l: Layout): Promise<Follow[]> {
  let src: string
  try {
    src = await fs.readFile(l.follows, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  let js: { follows?: Record<string, { url?: unknown; fingerprint?: unknown } | null> } | null
  try {
    js = YAML.parse(src)
  } catch (e) {
    throw new PeerFeedError('BAD_FOLLOWS', `${(e as Error).message.split('\n')[0]}; fix the file by hand`, { file: rel(l, l.follows) })
  }
  const out: Follow[] = []
  for (const [name, v] of Object.entries(js?.follows ?? {})) {
    if (v !== null && (typeof v !== 'object' || (v.url !== undefined && typeof v.url !== 'string'))) {
      throw new PeerFeedError('BAD_FOLLOWS', `follows.${name}.url must be a URL (or leave it out to find them on the LAN and the DHT)`, {
        file: rel(l, l.follows),
      })
    }
    out.push({
      name,
      ...(typeof v?.url === 'string' ? { url: v.url } : {}),
      ...(typeof v?.fingerprint === 'string' ? { fingerprint: v.fingerprint } : {}),
    })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1))
}

async function writeFollows(l: Layout, follows: Follow[]): Promise<void> {
  const entry = (f: Follow) => ({ ...(f.url ? { url: f.url } : {}), ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}) })
  const doc = new YAML.Document({ follows: Object.fromEntries(follows.map((f) => [f.name, entry(f)])) })
  doc.commentBefore = HEADER
  await writeFileAtomic(l.follows, doc.toString())
}

function checkUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new PeerFeedError(
      'BAD_URL',
      `'${url}' is not a URL; give the address your friend serves at, e.g. https://bob.example.org/ or http://192.168.1.20:8080/`,
    )
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new PeerFeedError('BAD_URL', `'${url}' must be an http:// or https:// address.`)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return u.href
}

/**
 * Records where NAME serves. NAME is a friend's petname (keys/NAME.asc; the URL may be left out, sync then finds
 * them by fingerprint), or a new name: then their public key is fetched from URL/key.asc and kept locally, and
 * sync reads their public posts only until `peerfeed peer add`.
 */
export async function follow(l: Layout, name: string, url?: string, { fetch }: { fetch?: Fetch } = {}): Promise<Followed> {
  const { nameProblem, readKeySource, readKeyFile } = await import('../identity/index.ts')
  const why = nameProblem(name)
  if (why) throw new PeerFeedError('BAD_PETNAME', why)
  const all = await readFollows(l)
  // `follow NAME` again without a URL keeps the address already saved for NAME
  const saved = all.find((f) => f.name === name)?.url
  const base = url === undefined || url === '' ? saved : checkUrl(url)
  const follows = all.filter((f) => f.name !== name)
  const friendFile = path.join(l.keys, `${name}.asc`)
  let entry: Follow
  let key: PublicKey
  let friend: boolean
  if (await exists(friendFile)) {
    key = await readKeyFile(l, friendFile)
    entry = base ? { name, url: base } : { name }
    friend = true
  } else if (!base) {
    throw new PeerFeedError(
      'NO_URL',
      `"${name}" is not in keys/, so there is no key to look for on the LAN or the DHT: add their key first (peerfeed peer add ${name} KEY), or give the URL they serve at (peerfeed follow ${name} URL).`,
    )
  } else {
    const { data, origin } = await readKeySource(new URL('key.asc', base).href, { fetch })
    key = await readPublicKey(data, { source: origin })
    await writeFileAtomic(publicKeyFile(l, name), key.armored)
    entry = { name, url: base, fingerprint: key.fingerprint }
    friend = false
  }
  await writeFollows(
    l,
    [...follows, entry].sort((a, b) => (a.name < b.name ? -1 : 1)),
  )
  return { ...entry, key, friend }
}

export async function unfollow(l: Layout, name: string): Promise<boolean> {
  const follows = await readFollows(l)
  if (!follows.some((f) => f.name === name)) return false
  await writeFollows(
    l,
    follows.filter((f) => f.name !== name),
  )
  await fs.rm(publicKeyFile(l, name), { force: true })
  return true
}

/** The follow with the key sync checks signatures against: keys/NAME.asc if a friend, else the kept public key. */
export async function resolveFollow(l: Layout, f: Follow): Promise<Followed> {
  const { readKeyFile } = await import('../identity/index.ts')
  const friendFile = path.join(l.keys, `${f.name}.asc`)
  if (await exists(friendFile)) return { ...f, key: await readKeyFile(l, friendFile), friend: true }
  const kept = publicKeyFile(l, f.name)
  if (!(await exists(kept))) {
    throw new PeerFeedError(
      'NO_KEY',
      `no key for "${f.name}": add it with \`peerfeed peer add ${f.name} ${f.url ?? 'KEY'}\` or follow again.`,
    )
  }
  const key = await readKeyFile(l, kept)
  if (f.fingerprint && key.fingerprint !== f.fingerprint)
    throw new PeerFeedError('KEY_MISMATCH', `${rel(l, kept)} is not the key recorded for "${f.name}"; follow again.`)
  return { ...f, key, friend: false }
}
