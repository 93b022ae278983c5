// Just enough of http-server's library surface (the package ships no types): createServer(...).server is a node http.Server.
declare module 'http-server' {
  import type http from 'node:http'
  export interface HttpServerOptions {
    root?: string
    showDir?: boolean | 'false'
    autoIndex?: boolean | 'false'
    cache?: number
    cors?: boolean
    gzip?: boolean
    brotli?: boolean
    headers?: Record<string, string>
    before?: Array<(req: http.IncomingMessage, res: http.ServerResponse) => void>
    [k: string]: unknown
  }
  export interface HttpServer {
    server: http.Server
    listen(port: number, host?: string, cb?: () => void): void
    listen(port: number, cb?: () => void): void
    close(cb?: () => void): void
  }
  export function createServer(opts?: HttpServerOptions): HttpServer
  const _default: { createServer: typeof createServer }
  export default _default
}
