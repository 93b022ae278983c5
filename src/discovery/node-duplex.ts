// Wraps a hyperdht Noise stream (streamx) in a node Duplex, so node:http can speak over it on either side.
import { Duplex } from 'node:stream'
import type { NoiseStream } from 'hyperdht'

/**
 * A raw streamx stream stays writable after end() and lacks the socket methods node:http calls
 * (setTimeout, setKeepAlive, ref…), which trips assertions in http's client. `open` may still be
 * connecting: writes wait for it, and a failure to open destroys the Duplex with that error.
 */
export function toNodeDuplex(open: NoiseStream | Promise<NoiseStream>): Duplex & SocketLike {
  const ready = Promise.resolve(open)
  let raw: NoiseStream | null = null
  let ended = false
  let idle: NodeJS.Timeout | null = null
  let idleMs = 0
  const touch = () => {
    if (idle) idle.refresh()
  }

  const d = new Duplex({
    read() {
      raw?.resume()
    },
    write(chunk: Buffer, _enc, cb) {
      touch()
      ready.then((s) => {
        s.write(chunk)
        cb()
      }, cb)
    },
    final(cb) {
      ready.then((s) => {
        s.end()
        cb()
      }, cb)
    },
    destroy(err, cb) {
      if (idle) clearTimeout(idle)
      ready.then(
        (s) => s.destroy(),
        () => {},
      )
      cb(err)
    },
  }) as Duplex & SocketLike

  ready.then(
    (s) => {
      raw = s
      s.on('data', (c: Buffer) => {
        touch()
        if (!d.push(c)) s.pause()
      })
      s.on('end', () => {
        ended = true
        d.push(null)
      })
      s.on('error', (e: Error) => d.destroy(e))
      s.on('close', () => {
        if (!ended) d.destroy()
      })
    },
    (e) => d.destroy(e),
  )

  // The socket methods node:http calls. setTimeout is a real idle timer, so server keep-alive limits hold.
  d.setTimeout = (ms: number, cb?: () => void) => {
    if (idle) clearTimeout(idle)
    idle = null
    idleMs = ms
    if (cb) d.once('timeout', cb)
    if (idleMs > 0) idle = setTimeout(() => d.emit('timeout'), idleMs).unref()
    return d
  }
  d.setKeepAlive = () => d
  d.setNoDelay = () => d
  d.ref = () => d
  d.unref = () => d
  return d
}

export interface SocketLike {
  setTimeout(ms: number, cb?: () => void): this
  setKeepAlive(...a: unknown[]): this
  setNoDelay(...a: unknown[]): this
  ref(): this
  unref(): this
}
