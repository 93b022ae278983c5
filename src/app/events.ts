// Server-Sent Events: every open page gets a stream; the index and the builder broadcast what changed.
import type { ServerResponse } from 'node:http'
import { BASE_HEADERS } from './http.ts'

export class EventHub {
  #clients = new Set<ServerResponse>()
  /** which session opened each stream, so ending a session closes its streams at once */
  #sessionOf = new WeakMap<ServerResponse, string>()
  #timer: NodeJS.Timeout

  constructor(keepAliveMs = 20_000) {
    // a comment line now and then keeps proxies and idle timers from closing the stream
    this.#timer = setInterval(() => {
      for (const c of this.#clients) c.write(': ping\n\n')
    }, keepAliveMs)
    this.#timer.unref()
  }

  attach(res: ServerResponse, sessionId?: string): void {
    if (sessionId) this.#sessionOf.set(res, sessionId)
    res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' })
    res.write('retry: 2000\n\n')
    this.#clients.add(res)
    res.on('close', () => this.#clients.delete(res))
  }

  send(event: string, data: unknown): void {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of this.#clients) c.write(msg)
  }

  /** Ends every stream a session opened (a revoked device stops hearing anything). */
  endSession(id: string): void {
    for (const c of this.#clients) {
      if (this.#sessionOf.get(c) === id) {
        c.end()
        this.#clients.delete(c)
      }
    }
  }

  get size(): number {
    return this.#clients.size
  }

  close(): void {
    clearInterval(this.#timer)
    for (const c of this.#clients) c.end()
    this.#clients.clear()
  }
}
