// A raw HTTP client for the app's security tests: any Host, Origin or cookie, nothing added behind our back.
import http from 'node:http'

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json(): { [k: string]: any }
}

export function request(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Logs in with a one-time URL; returns the cookie header value. */
export async function login(loginUrl: string): Promise<string> {
  const r = await request(loginUrl)
  const set = String(r.headers['set-cookie'] ?? '')
  if (r.status !== 303 || !set) throw new Error(`login failed: ${r.status}`)
  return set.split(';')[0]
}
