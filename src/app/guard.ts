// Request checks before any route runs: the Host must be the app's own address (DNS rebinding), and anything that
// changes state must come from the app's own origin (cross-site forms and fetches change nothing).
import type { IncomingMessage } from 'node:http'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface Origins {
  /** every `host:port` the app answers to */
  hosts: Set<string>
  /** every `http://host:port` it accepts state changes from */
  origins: Set<string>
}

export function originsFor(hosts: string[]): Origins {
  return { hosts: new Set(hosts.map((h) => h.toLowerCase())), origins: new Set(hosts.map((h) => `http://${h.toLowerCase()}`)) }
}

/** Why the request is refused, or undefined when it may go on. */
export function refusal(req: IncomingMessage, o: Origins): { status: number; code: string; message: string } | undefined {
  const host = (req.headers.host ?? '').toLowerCase()
  if (!o.hosts.has(host)) {
    return {
      status: 421,
      code: 'WRONG_HOST',
      message: 'this address is not the one the app was started on; open the link `peerfeed app` printed',
    }
  }
  if (SAFE.has(req.method ?? 'GET')) return undefined
  const origin = req.headers.origin
  if (origin === undefined || !o.origins.has(origin.toLowerCase())) {
    return { status: 403, code: 'WRONG_ORIGIN', message: "changes are accepted only from the app's own pages" }
  }
  return undefined
}
