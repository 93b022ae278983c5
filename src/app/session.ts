// Who may use the app: one-time login tokens become sessions held in an HttpOnly, SameSite=Strict cookie.
// A session has a kind so paired devices can hold sessions of their own beside the owner's browser.
import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { sessionHash, type DeviceStore } from './device-store.ts'

export const COOKIE = 'peerfeed_session'

export interface Session {
  id: string
  kind: 'owner' | 'device'
  /** a name to show in a list of sessions, e.g. a device's name */
  label: string
  created: number
  /** when a request last used it */
  lastUsed?: number
}

export class Sessions {
  #tokens = new Map<string, { kind: Session['kind']; label: string; expires: number }>()
  #sessions = new Map<string, Session>()
  readonly #random: (n: number) => Buffer
  readonly #now: () => number
  /** paired devices kept across restarts (owner sessions end with the app) */
  readonly devices?: DeviceStore

  constructor({
    random = crypto.randomBytes,
    now = Date.now,
    devices,
  }: { random?: (n: number) => Buffer; now?: () => number; devices?: DeviceStore } = {}) {
    this.#random = random
    this.#now = now
    this.devices = devices
  }

  /** A token that logs in once; `ttlMs` Infinity for the link printed at start. */
  issueToken({
    kind = 'owner',
    label = 'this computer',
    ttlMs = Infinity,
  }: {
    kind?: Session['kind']
    label?: string
    ttlMs?: number
  } = {}): string {
    const token = this.#random(32).toString('base64url')
    this.#tokens.set(token, { kind, label, expires: this.#now() + ttlMs })
    return token
  }

  /** Spends a token: the new session, or undefined for an unknown, spent or expired token. */
  redeem(token: string): Session | undefined {
    const t = this.#tokens.get(token)
    if (!t) return undefined
    this.#tokens.delete(token)
    if (t.expires < this.#now()) return undefined
    const s: Session = { id: this.#random(32).toString('base64url'), kind: t.kind, label: t.label, created: this.#now() }
    this.#sessions.set(s.id, s)
    if (s.kind === 'device') void this.devices?.add({ hash: sessionHash(s.id), label: s.label, created: s.created })
    return s
  }

  /** The session a request's cookie names, if any. */
  of(req: IncomingMessage): Session | undefined {
    const id = cookieValue(req.headers.cookie, COOKIE)
    let s = id ? this.#sessions.get(id) : undefined
    if (!s && id && this.devices) {
      // a device paired before the app restarted
      const d = this.devices.get(sessionHash(id))
      if (d)
        this.#sessions.set(
          id,
          (s = { id, kind: 'device', label: d.label, created: d.created, ...(d.lastUsed ? { lastUsed: d.lastUsed } : {}) }),
        )
    }
    if (s) {
      s.lastUsed = this.#now()
      if (s.kind === 'device') this.devices?.touch(sessionHash(s.id), s.lastUsed)
    }
    return s
  }

  end(id: string): void {
    this.#sessions.delete(id)
    void this.devices?.remove(sessionHash(id))
  }

  list(): Session[] {
    return [...this.#sessions.values()]
  }

  /** The Set-Cookie header value for a session (Secure only over https, which the app does not speak yet). */
  cookieFor(s: Session): string {
    return `${COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/`
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return undefined
}
