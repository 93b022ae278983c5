// Starts the app: an HTTP server on loopback for the owner alone, over the same stages the CLI uses. Returns the
// one-time login URL and something that stops everything it started (server, watchers, builder, event streams).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { LiveIndex } from '../index/live-index.ts'
import type { Layout } from '../paths.ts'
import type { AppContext } from './context.ts'
import { EventHub } from './events.ts'
import { originsFor, refusal, type Origins } from './guard.ts'
import { sendError, sendJson } from './http.ts'
import { html, loginNote } from './pages.ts'
import { Router, type Request } from './router.ts'
import { Sessions } from './session.ts'
import { routeModules } from './routes.ts'
import { SyncRunner, type SyncRunnerOptions } from './sync-runner.ts'

export interface AppOptions {
  layout: Layout
  port?: number
  host?: string
  passphrase?: string
  /** rebuild dist/ after every change to the feed (default true) */
  autoBuild?: boolean
  /** background sync and `Sync now` (default: on, interval from peerfeed.yaml); false: off */
  sync?: SyncRunnerOptions | false
  now?: () => number
  log?: (line: string) => void
}

export interface RunningApp {
  /** the app's address, e.g. http://127.0.0.1:8090 */
  url: string
  /** the address with a one-time login token: print it, open it */
  loginUrl: string
  context: AppContext
  /** a fresh one-time login URL (another window, another browser) */
  newLoginUrl(): string
  close(): Promise<void>
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { layout } = opts
  const now = opts.now ?? Date.now
  const log = opts.log ?? (() => {})
  const index = await new LiveIndex(layout).open()
  const { loadSelf } = await import('../identity/index.ts')
  const self = await loadSelf(layout)
  const sessions = new Sessions({ now })
  const events = new EventHub()
  index.onChange((c) => events.send('posts', c))

  const router = new Router()
  for (const m of routeModules) m.routes(router)

  const host = opts.host ?? '127.0.0.1'
  let origins: Origins = originsFor([])
  const context: AppContext = { layout, index, sessions, events, origin: '', selfName: self.name, passphrase: opts.passphrase, build: { running: false }, now }

  const server = http.createServer((req, res) => void handle(req, res))
  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', context.origin)
    const isApi = url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')
    try {
      const no = refusal(req, origins)
      if (no) return sendJson(res, no.status, { error: { code: no.code, message: no.message } })
      const { route, params, allowed } = router.match(req.method ?? 'GET', url.pathname)
      if (!route) {
        if (allowed.length) {
          res.setHeader('allow', allowed.join(', '))
          return sendJson(res, 405, { error: { code: 'METHOD', message: `use ${allowed.join(' or ')}` } })
        }
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'nothing here' } })
      }
      const session = sessions.of(req)
      const q: Request = { req, res, url, params, session, app: context }
      if (route.auth && !session) {
        if (isApi) return sendJson(res, 401, { error: { code: 'NO_SESSION', message: 'log in first: open the link `peerfeed app` printed' } })
        return html(q, 401, loginNote())
      }
      const out = await route.handler(q)
      if (out !== undefined && !res.headersSent) sendJson(res, res.statusCode || 200, out)
    } catch (e) {
      if (!res.headersSent) sendError(res, e)
      else res.destroy()
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 8090, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  context.origin = `http://${shown}:${port}`
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost'
  origins = originsFor([`${shown}:${port}`, ...(loopback ? [`localhost:${port}`] : [])])

  const stops: (() => Promise<void> | void)[] = []
  if (opts.sync !== false) {
    const sync = await new SyncRunner(events).start(layout, { ...opts.sync, passphrase: opts.passphrase })
    context.sync = sync
    stops.push(() => sync.close())
  }
  if (opts.autoBuild !== false) {
    const { watchBuild } = await import('../build/watch.ts')
    const w = watchBuild(layout, {
      passphrase: opts.passphrase,
      onBuild: (r) => {
        context.build = { running: false, at: now(), ms: Math.round(r.stats.ms) }
        if (r.changed) log(`built: ${r.stats.newVersions} new version(s), ${r.stats.tombstones} deletion(s) in ${Math.round(r.stats.ms)} ms`)
        events.send('build', { ...context.build, changed: r.changed, newVersions: r.stats.newVersions, tombstones: r.stats.tombstones })
      },
      onError: (e) => {
        context.build = { running: false, at: now(), error: (e as Error).message }
        log(`build failed: ${(e as Error).message}`)
        events.send('build', context.build)
      },
    })
    await w.ready
    stops.push(() => w.close())
  }

  const newLoginUrl = () => `${context.origin}/login?token=${sessions.issueToken()}`
  return {
    url: context.origin,
    loginUrl: newLoginUrl(),
    context,
    newLoginUrl,
    async close() {
      events.close()
      await new Promise<void>((res) => {
        server.close(() => res())
        server.closeAllConnections()
      })
      for (const s of stops) await s()
      await index.close()
    },
  }
}

