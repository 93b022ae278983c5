// Friends: the list (fingerprint, groups, following, blocked, last sync), adding one by feed URL, key file or pasted
// key (preview → confirm, the same checks as `peer add`), follow/unfollow, block/unblock. Each change is committed.
import { formatFingerprint } from '../../identity/names.ts'
import { HttpError, readJson } from '../http.ts'
import { record } from '../record.ts'
import type { Request, Router } from '../router.ts'

/** What blocking does, in one sentence, shown beside every Block button. */
export const BLOCKING_EXPLAINED =
  'Blocking stops sharing with them and hides them: your next build leaves them out of every audience, your server answers them as it would a stranger, their posts leave your timeline and sync no longer fetches them. They are not told.'

const MAX_KEY = 1 << 20

/** The key the request names: a feed or key URL, pasted armored text, or a key file's bytes (base64). */
function keyInput(body: Record<string, unknown>): string | { armored: string } {
  if (typeof body.url === 'string' && body.url.trim()) {
    const url = body.url.trim()
    // only web addresses: a path on this machine must never be read on a request's behalf
    if (!/^https?:\/\//i.test(url))
      throw new HttpError(400, 'BAD_URL', 'give the address your friend serves at, starting with http:// or https://', {
        url: 'starts with http:// or https://',
      })
    return url
  }
  if (typeof body.armored === 'string' && body.armored.trim()) return { armored: body.armored.slice(0, MAX_KEY) }
  if (typeof body.file === 'string' && body.file) {
    const bytes = Buffer.from(body.file, 'base64')
    if (bytes.length > MAX_KEY) throw new HttpError(413, 'TOO_LARGE', 'that file is far too large to be a public key')
    const text = bytes.toString('utf8')
    if (text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')) return { armored: text }
    return { armored: binaryToArmored(bytes) }
  }
  throw new HttpError(400, 'NO_KEY', "give your friend's feed address, a key file, or paste their key")
}

/** A binary key (gpg --export) as armor, so the same reader takes both. */
function binaryToArmored(bytes: Buffer): string {
  let crc = 0xb704ce
  for (const b of bytes) {
    crc ^= b << 16
    for (let i = 0; i < 8; i++) {
      crc <<= 1
      if (crc & 0x1000000) crc ^= 0x1864cfb
    }
  }
  const sum = Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString('base64')
  const body = bytes.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${body}\n=${sum}\n-----END PGP PUBLIC KEY BLOCK-----\n`
}

/** The feed's base URL behind a key URL or a page URL, for following after adding. */
function feedBase(origin: string): string | undefined {
  try {
    const u = new URL(origin)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined
    u.pathname = u.pathname.replace(/key\.asc$/, '').replace(/[^/]*$/, '')
    u.search = ''
    u.hash = ''
    return u.href
  } catch {
    return undefined
  }
}

async function taken(q: Request): Promise<Set<string>> {
  const { scanPeers, scanGroups } = await import('../../identity/index.ts')
  const [peers, groups] = await Promise.all([scanPeers(q.app.layout), scanGroups(q.app.layout)])
  return new Set([...peers.map((p) => p.name), ...groups.map((g) => g.name)])
}

async function one(q: Request, name: string) {
  const { listFriends } = await import('../../sync/friends.ts')
  const f = (await listFriends(q.app.layout)).find((x) => x.name === name)
  if (!f) throw new HttpError(404, 'NO_FRIEND', `no friend called "${name}"`)
  return f
}

export function routes(r: Router) {
  r.get('/api/friends', async (q) => {
    const { listFriends } = await import('../../sync/friends.ts')
    return { friends: await listFriends(q.app.layout), blocking: BLOCKING_EXPLAINED, sync: q.app.sync?.view() ?? null }
  })

  r.post('/api/friends/preview', async (q) => {
    const { previewPeerKey } = await import('../../identity/index.ts')
    const p = await previewPeerKey(q.app.layout, keyInput(await readJson(q.req, 2 * MAX_KEY)), { taken: await taken(q) })
    return {
      preview: {
        name: p.name ?? null,
        email: p.email ?? null,
        userIds: p.userIds,
        fingerprint: p.fingerprint,
        formatted: p.formatted,
        origin: p.origin,
        suggestedName: p.suggestedName ?? '',
        blocked: p.blocked,
        followUrl: feedBase(p.origin) ?? null,
      },
    }
  })

  r.post('/api/friends', async (q) => {
    const body = await readJson(q.req, 2 * MAX_KEY)
    const name = String(body.name ?? '').trim()
    const { addPeer, nameProblem } = await import('../../identity/index.ts')
    const why = nameProblem(name)
    if (why) throw new HttpError(400, 'BAD_PETNAME', why, { name: why })
    const input = keyInput(body)
    // the fingerprint the person saw and confirmed: a key that changed meanwhile (a URL serving another key) is refused
    const { previewPeerKey } = await import('../../identity/index.ts')
    const seen = await previewPeerKey(q.app.layout, input)
    if (typeof body.fingerprint === 'string' && body.fingerprint.toLowerCase() !== seen.fingerprint) {
      throw new HttpError(
        409,
        'KEY_CHANGED',
        `the key at ${seen.origin} is now ${seen.formatted}, not the one you confirmed; check with your friend and try again.`,
      )
    }
    const added = await addPeer(q.app.layout, name, { armored: seen.key.armored })
    await record(q.app.layout, [`keys/${name}.asc`], `peer: add ${name} (${added.fingerprint})`)
    await q.app.index.loadNames()
    return { friend: await one(q, name), followUrl: feedBase(seen.origin) ?? null, fingerprint: formatFingerprint(added.fingerprint) }
  })

  r.post('/api/friends/:name/follow', async (q) => {
    const body = await readJson(q.req)
    const { follow } = await import('../../sync/follows.ts')
    const url = typeof body.url === 'string' && body.url.trim() ? body.url.trim() : undefined
    await follow(q.app.layout, q.params.name, url)
    await q.app.index.loadNames()
    return { friend: await one(q, q.params.name) }
  })

  r.post('/api/friends/:name/unfollow', async (q) => {
    const { unfollow } = await import('../../sync/follows.ts')
    if (!(await unfollow(q.app.layout, q.params.name))) throw new HttpError(404, 'NOT_FOLLOWED', `you do not follow "${q.params.name}"`)
    return { friend: await one(q, q.params.name).catch(() => null) }
  })

  for (const action of ['block', 'unblock'] as const) {
    r.post(`/api/friends/:name/${action}`, async (q) => {
      const f = await one(q, q.params.name)
      const id = await import('../../identity/index.ts')
      const done = await id[action](q.app.layout, f.friend ? f.name : (f.fingerprint ?? f.name))
      return { friend: await one(q, q.params.name), changed: done.changed }
    })
  }
}
