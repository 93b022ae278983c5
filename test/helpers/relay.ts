// A relay on 127.0.0.1 in front of a real server: forwards every request and lets a test rewrite or replace answers,
// as a keyless static host, DHT node or middlebox on the route could.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Passing {
  method: string
  path: string
  body: Buffer
  headers: http.IncomingHttpHeaders
}

export interface Answer {
  status: number
  body: Buffer | string
  type?: string
}

/** What to answer: the upstream answer as is (`forward()`), a rewritten copy, or something else entirely. */
export type RelayRule = (req: Passing, forward: () => Promise<Answer>) => Promise<Answer> | Answer

export interface Relay {
  url: string
  /** requests seen, by path (query included) */
  seen: string[]
  close(): Promise<void>
}

export async function relay(target: string, rule: RelayRule): Promise<Relay> {
  const seen: string[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const passing: Passing = { method: req.method ?? 'GET', path: req.url ?? '/', body: Buffer.concat(chunks), headers: req.headers }
      seen.push(passing.path)
      const forward = async (): Promise<Answer> => {
        const r = await fetch(new URL(passing.path, target), {
          method: passing.method,
          headers: { 'content-type': String(req.headers['content-type'] ?? 'application/octet-stream') },
          body: passing.method === 'GET' || passing.method === 'HEAD' ? undefined : new Uint8Array(passing.body),
        })
        return { status: r.status, body: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type') ?? undefined }
      }
      try {
        const a = await rule(passing, forward)
        res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' })
        res.end(a.body)
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(String(e))
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

/** Rewrites a JSON answer body. */
export function editJson(a: Answer, edit: (v: Record<string, unknown>) => unknown): Answer {
  const v = JSON.parse(a.body.toString()) as Record<string, unknown>
  return { ...a, body: JSON.stringify(edit(v) ?? v) }
}
