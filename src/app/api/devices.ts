// Pairing a phone with `peerfeed app --lan`: the owner asks for a one-time pairing token, shown as a QR code and a short
// link to the LAN address; opening it there makes a device session. Paired devices are listed with their name and last
// use and can be revoked: the session and its open event streams end at once.
import crypto from 'node:crypto'
import { sessionHash } from '../device-store.ts'
import { BASE_HEADERS, HttpError, readJson } from '../http.ts'
import { html } from '../pages.ts'
import type { Request, Router } from '../router.ts'

/** How long a pairing code works, unless used first. */
export const PAIRING_TTL_MS = 10 * 60_000
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
/** Wrong short codes tolerated before every pending code stops working (guessing 10 letters is hopeless anyway). */
const MAX_MISSES = 20

interface Pending {
  token: string
  label: string
  expires: number
}
const pending = new WeakMap<object, { codes: Map<string, Pending>; misses: number }>()
const stateOf = (q: Request) => {
  let s = pending.get(q.app.sessions)
  if (!s) pending.set(q.app.sessions, (s = { codes: new Map(), misses: 0 }))
  return s
}

/** A public id for a device (the session id itself is the cookie's secret and never leaves the server). */
const publicId = (hash: string) => hash.slice(0, 16)

/** Paired devices: those kept on disk (paired before a restart too) and those paired in this run. */
function pairedDevices(q: Request) {
  const live = new Map(
    q.app.sessions
      .list()
      .filter((s) => s.kind === 'device')
      .map((s) => [sessionHash(s.id), s]),
  )
  const out = new Map<string, { hash: string; label: string; created: number; lastUsed?: number; sessionId?: string }>()
  for (const d of q.app.sessions.devices?.list() ?? []) out.set(d.hash, { ...d })
  for (const [hash, s] of live)
    out.set(hash, { hash, label: s.label, created: s.created, lastUsed: s.lastUsed ?? out.get(hash)?.lastUsed, sessionId: s.id })
  return [...out.values()].sort((a, b) => a.created - b.created)
}

const shortCode = () => {
  const bytes = crypto.randomBytes(10)
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length])
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

function ownerOnly(q: Request) {
  if (q.lan || q.session?.kind !== 'owner')
    throw new HttpError(403, 'OWNER_ONLY', 'devices are paired and revoked from the computer running the app')
}

function redeem(q: Request, token: string) {
  const s = q.app.sessions.redeem(token)
  if (!s) return html(q, 401, pairNote('This pairing link was already used or has expired. Make a new one in Devices on your computer.'))
  q.res.writeHead(303, { ...BASE_HEADERS, 'set-cookie': q.app.sessions.cookieFor(s), location: '/' })
  q.res.end()
}

export function routes(r: Router) {
  r.get('/api/devices', (q) => {
    ownerOnly(q)
    return {
      lan: q.app.lanOrigin ?? null,
      devices: pairedDevices(q).map((d) => ({
        id: publicId(d.hash),
        name: d.label,
        paired: new Date(d.created).toISOString(),
        lastUsed: d.lastUsed ? new Date(d.lastUsed).toISOString() : null,
      })),
    }
  })

  r.post('/api/devices/pairing', async (q) => {
    ownerOnly(q)
    if (!q.app.lanOrigin)
      throw new HttpError(409, 'NO_LAN', 'the app is not on your LAN: restart it with `peerfeed app --lan` to pair a phone')
    const body = await readJson(q.req)
    const label =
      String(body.name ?? '')
        .trim()
        .slice(0, 60) || 'a phone'
    const token = q.app.sessions.issueToken({ kind: 'device', label, ttlMs: PAIRING_TTL_MS })
    const st = stateOf(q)
    const code = shortCode()
    const expires = q.app.now() + PAIRING_TTL_MS
    for (const [c, p] of st.codes) if (p.expires < q.app.now()) st.codes.delete(c)
    st.codes.set(code, { token, label, expires })
    const url = `${q.app.lanOrigin}/pair?token=${token}`
    const { default: QRCode } = await import('qrcode')
    return {
      name: label,
      url,
      shortUrl: `${q.app.lanOrigin}/p/${code}`,
      code,
      qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      expiresAt: new Date(expires).toISOString(),
    }
  })

  r.delete('/api/devices/:id', async (q) => {
    ownerOnly(q)
    const d = pairedDevices(q).find((x) => publicId(x.hash) === q.params.id)
    if (!d) throw new HttpError(404, 'NO_DEVICE', 'no such paired device (already revoked?)')
    if (d.sessionId) {
      q.app.sessions.end(d.sessionId)
      q.app.events.endSession(d.sessionId)
    }
    await q.app.sessions.devices?.remove(d.hash)
    return { revoked: d.label }
  })

  // On the LAN address only: the QR code's link and the short link.
  r.get('/pair', (q) => redeem(q, q.url.searchParams.get('token') ?? ''), { auth: false, lan: 'only' })
  r.get(
    '/p/:code',
    (q) => {
      const st = stateOf(q)
      const code = q.params.code.toUpperCase()
      const p = st.misses < MAX_MISSES ? st.codes.get(code) : undefined
      if (!p) {
        if (++st.misses >= MAX_MISSES) st.codes.clear()
        return html(
          q,
          401,
          pairNote('This short link was already used, has expired, or is mistyped. Make a new one in Devices on your computer.'),
        )
      }
      st.codes.delete(code)
      return redeem(q, p.token)
    },
    { auth: false, lan: 'only' },
  )
}

/** The only page the LAN address shows to a browser that is not paired. */
export function pairNote(why = 'This device is not paired with your PeerFeed yet.'): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PeerFeed — pair this device</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="note"><h1>Pair this device</h1><p>${why}</p>
<ol><li>On the computer running <code>peerfeed app --lan</code>, open <strong>Devices</strong> and press <strong>Pair a device</strong>.</li>
<li>Scan the code shown there with this device's camera, or type its short link here.</li></ol>
<p>Each code works once, for ten minutes.</p></main></body></html>
`
}
