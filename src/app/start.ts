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
import { pairNote } from './api/devices.ts'
import { Router, type Request } from './router.ts'
import { Sessions } from './session.ts'
import { routeModules } from './routes.ts'
import { SyncRunner, type SyncRunnerOptions } from './sync-runner.ts'

export interface AppOptions {
  layout: Layout
  port?: number
  host?: string
  passphrase?: string
  /** more `host:port` names the app answers to (e.g. a LAN address for paired devices) */
  extraHosts?: string[]
  /** rebuild dist/ after every change to the feed (default true) */
  autoBuild?: boolean
  /**
   * Also serve on this LAN address (`peerfeed app --lan`): there, only paired devices get in; everyone else sees
   * nothing but the "pair this device" page. Port 0 picks a free one; default: the app's port.
   */
  lan?: { host: string; port?: number }
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
  /** the LAN address when started with `lan`, e.g. http://192.168.1.20:8090 */
  lanUrl?: string
  /** a fresh one-time login URL (another window, another browser) */
  newLoginUrl(): string
  close(): Promise<void>
}

/** What the LAN address serves before a device is paired: the pairing links and the page's look. */
const LAN_OPEN = /^\/(pair|p\/[A-Za-z0-9-]{1,40}|static\/(app|people)\.css|static\/icon\.svg)$/

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { layout } = opts
  const now = opts.now ?? Date.now
  const log = opts.log ?? (() => {})
  const index = await new LiveIndex(layout).open()
  const { warmSearch } = await import('./search.ts')
  warmSearch(index)
  const { loadSelf } = await import('../identity/index.ts')
  const self = await loadSelf(layout)
  const { DeviceStore } = await import('./device-store.ts')
  const sessions = new Sessions({ now, devices: new DeviceStore(layout) })
  const events = new EventHub()
  index.onChange((c) => events.send('posts', c))

  const router = new Router()
  for (const m of routeModules) m.routes(router)

  const host = opts.host ?? '127.0.0.1'
  let origins: Origins = originsFor([])
  const context: AppContext = {
    layout,
    index,
    sessions,
    events,
    origin: '',
    selfName: self.name,
    passphrase: opts.passphrase,
    build: { running: false },
    now,
  }

  const server = http.createServer((req, res) => void handle(req, res))
  let lanOrigins: Origins = originsFor([])
  async function handle(req: http.IncomingMessage, res: http.ServerResponse, lan = false) {
    const url = new URL(req.url ?? '/', lan ? context.lanOrigin : context.origin)
    const isApi = url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')
    try {
      const no = refusal(req, lan ? lanOrigins : origins)
      if (no) return sendJson(res, no.status, { error: { code: no.code, message: no.message } })
      const { route, params, allowed } = router.match(req.method ?? 'GET', url.pathname)
      if (!route) {
        if (allowed.length) {
          res.setHeader('allow', allowed.join(', '))
          return sendJson(res, 405, { error: { code: 'METHOD', message: `use ${allowed.join(' or ')}` } })
        }
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'nothing here' } })
      }
      // on the LAN only a paired device's session counts; the owner's browser uses loopback
      const found = sessions.of(req)
      const session = lan && found?.kind !== 'device' ? undefined : found
      const q: Request = { req, res, url, params, session, app: context, lan }
      if ((route.lan === false && lan) || (route.lan === 'only' && !lan) || (lan && url.pathname === '/login')) {
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'nothing here' } })
      }
      // Unpaired on the LAN: nothing but the pairing page (and its stylesheet), whatever the route says.
      if ((route.auth || lan) && !session && !(lan && LAN_OPEN.test(url.pathname))) {
        if (isApi)
          return sendJson(res, 401, {
            error: {
              code: 'NO_SESSION',
              message: lan
                ? 'pair this device first: in PeerFeed on your computer, open Devices and scan the code'
                : 'log in first: open the link `peerfeed app` printed',
            },
          })
        return html(q, 401, lan ? pairNote() : loginNote())
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
  origins = originsFor([`${shown}:${port}`, ...(loopback ? [`localhost:${port}`] : []), ...(opts.extraHosts ?? [])])
  await sweepUploads(layout, now())

  const stops: (() => Promise<void> | void)[] = []
  let lanServer: http.Server | undefined
  if (opts.lan) {
    lanServer = http.createServer((req, res) => void handle(req, res, true))
    await new Promise<void>((resolve, reject) => {
      lanServer!.once('error', reject)
      lanServer!.listen(opts.lan!.port ?? port, opts.lan!.host, () => resolve())
    })
    const lanHost = opts.lan.host.includes(':') ? `[${opts.lan.host}]` : opts.lan.host
    context.lanOrigin = `http://${lanHost}:${(lanServer.address() as AddressInfo).port}`
    lanOrigins = originsFor([context.lanOrigin.slice('http://'.length)])
    stops.push(
      () =>
        new Promise<void>((res) => {
          lanServer!.close(() => res())
          lanServer!.closeAllConnections()
        }),
    )
  }
  if (opts.sync !== false) {
    const sync = await new SyncRunner(events).start(layout, { ...opts.sync, passphrase: opts.passphrase })
    context.sync = sync
    stops.push(() => sync.close())
  }
  if (opts.autoBuild !== false) {
    const { autoBuild } = await import('./builder.ts')
    const w = autoBuild(layout, index, {
      passphrase: opts.passphrase,
      onBuild: (r) => {
        context.build = { running: false, at: now(), ms: Math.round(r.stats.ms) }
        if (r.changed)
          log(`built: ${r.stats.newVersions} new version(s), ${r.stats.tombstones} deletion(s) in ${Math.round(r.stats.ms)} ms`)
        events.send('build', { ...context.build, changed: r.changed, newVersions: r.stats.newVersions, tombstones: r.stats.tombstones })
      },
      onError: (e) => {
        context.build = { running: false, at: now(), error: (e as Error).message }
        log(`build failed: ${(e as Error).message}`)
        events.send('build', context.build)
      },
    })
    stops.push(() => w.close())
  }

  const newLoginUrl = () => `${context.origin}/login?token=${sessions.issueToken()}`
  return {
    url: context.origin,
    ...(context.lanOrigin ? { lanUrl: context.lanOrigin } : {}),
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

/** Pictures uploaded but never posted (a closed tab) are removed a day later. */
async function sweepUploads(layout: Layout, now: number) {
  const fs = await import('node:fs/promises')
  const path = await import('node:path')
  const dir = path.join(layout.state, 'uploads')
  for (const f of await fs.readdir(dir).catch(() => [] as string[])) {
    const st = await fs.stat(path.join(dir, f)).catch(() => undefined)
    if (st && now - st.mtimeMs > 86_400_000) await fs.rm(path.join(dir, f), { force: true })
  }
}
