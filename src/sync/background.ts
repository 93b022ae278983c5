// Background sync while the app runs: every `sync.interval` (peerfeed.yaml, default 15 minutes), one run at a time,
// a `syncNow()` that joins a run in progress, and close() that stops the timer and the run in flight.
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import type { SyncEvent, SyncSummary } from './sync.ts'

export const DEFAULT_SYNC_INTERVAL_MS = 15 * 60_000

const UNITS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }

/**
 * `sync: { interval: 15m }` in peerfeed.yaml → milliseconds; `off` or 0 → 0 (no background sync).
 * A bare number is minutes. Shorter than 10 s is refused (it would hammer friends' servers).
 */
export function parseSyncInterval(v: unknown): number {
  if (v === undefined || v === null) return DEFAULT_SYNC_INTERVAL_MS
  if (v === false || v === 'off' || v === 0 || v === '0') return 0
  const m =
    typeof v === 'number' ? [String(v), String(v), 'm'] : typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$/.exec(v) : null
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 'm'] : Number.NaN
  if (!Number.isFinite(ms) || ms < 10_000) {
    throw new PeerFeedError(
      'BAD_CONFIG',
      `peerfeed.yaml: sync.interval must be a duration of at least 10 s such as 15m, 1h or 90s (a bare number is minutes), or off; found ${JSON.stringify(v)}.`,
    )
  }
  return ms
}

/** The background sync interval from peerfeed.yaml (`sync: { interval: … }`). */
export async function syncInterval(l: Layout): Promise<number> {
  const { loadConfig } = await import('../identity/index.ts')
  const sync = (await loadConfig(l)).sync
  if (sync !== undefined && sync !== null && (typeof sync !== 'object' || Array.isArray(sync))) {
    throw new PeerFeedError('BAD_CONFIG', 'peerfeed.yaml: sync must be a mapping, e.g. sync: { interval: 15m }')
  }
  return parseSyncInterval((sync as { interval?: unknown } | null | undefined)?.interval)
}

export interface BackgroundRun {
  startedAt: Date
  /** resolves when the run ends (never rejects: a failed run resolves with its error) */
  done: Promise<SyncSummary | { error: { code: string; message: string } }>
}

export interface BackgroundSync {
  /** starts a run now, or returns the one in progress */
  syncNow(): BackgroundRun
  /** the run in progress, if any */
  readonly running: BackgroundRun | undefined
  /** when the next timed run starts (undefined when off or closed) */
  readonly nextAt: Date | undefined
  readonly intervalMs: number
  /** stops the timer and the run in flight (its friends report STOPPED), and waits for it to end */
  close(): Promise<void>
}

export interface BackgroundOptions {
  /** ms between runs; 0 = only syncNow(); default: from peerfeed.yaml */
  intervalMs?: number
  /** when the first timed run starts (default: one interval after start) */
  firstAfterMs?: number
  /** one run: defaults to syncing every followed friend through the URL, the LAN and the DHT */
  run?: (opts: { signal: AbortSignal; onEvent: (e: SyncEvent) => void }) => Promise<SyncSummary>
  passphrase?: string
  /** false: the default run does not look on the LAN / the DHT (as --no-lan / --no-dht) */
  lan?: boolean
  dht?: boolean
  onEvent?: (e: SyncEvent) => void
  /** after each run */
  onRun?: (result: SyncSummary | { error: { code: string; message: string } }) => void
}

export async function startBackgroundSync(layout: Layout, opts: BackgroundOptions = {}): Promise<BackgroundSync> {
  const intervalMs = opts.intervalMs ?? (await syncInterval(layout))
  const ac = new AbortController()
  const run = opts.run ?? ((o) => syncEverywhere(layout, { ...o, passphrase: opts.passphrase, lan: opts.lan, dht: opts.dht }))
  let current: BackgroundRun | undefined
  let timer: NodeJS.Timeout | undefined
  let nextAt: Date | undefined
  let closed = false

  const schedule = (ms: number) => {
    clearTimeout(timer)
    nextAt = undefined
    if (closed || intervalMs <= 0) return
    nextAt = new Date(Date.now() + ms)
    timer = setTimeout(() => syncNow(), ms)
    timer.unref?.()
  }

  function syncNow(): BackgroundRun {
    if (current) return current
    if (closed) {
      const error = { code: 'STOPPED', message: 'background sync is closed' }
      return { startedAt: new Date(), done: Promise.resolve({ error }) }
    }
    clearTimeout(timer)
    nextAt = undefined
    const r: BackgroundRun = {
      startedAt: new Date(),
      done: run({ signal: ac.signal, onEvent: (e) => opts.onEvent?.(e) }).catch((e) => ({
        error: { code: (e as PeerFeedError).code ?? 'UNEXPECTED', message: (e as Error).message ?? String(e) },
      })),
    }
    current = r
    void r.done.then((result) => {
      current = undefined
      try {
        opts.onRun?.(result)
      } catch {
        // a listener's bug must not stop the schedule
      }
      // the next timed run is one interval after the end of this one, whether it was timed or asked for
      schedule(intervalMs)
    })
    return r
  }

  schedule(opts.firstAfterMs ?? intervalMs)
  return {
    syncNow,
    get running() {
      return current
    },
    get nextAt() {
      return nextAt
    },
    intervalMs,
    async close() {
      closed = true
      clearTimeout(timer)
      nextAt = undefined
      ac.abort(new Error('the app is closing'))
      await current?.done
    },
  }
}

/**
 * One sync of every followed friend the way `peerfeed sync` does it: the followed URL, then the LAN, then the DHT
 * (bootstrap from peerfeed.yaml), friends in parallel. The DHT node lives for this run only.
 */
export async function syncEverywhere(
  layout: Layout,
  opts: {
    signal?: AbortSignal
    onEvent?: (e: SyncEvent) => void
    passphrase?: string
    lan?: boolean
    dht?: boolean
    names?: string[]
  } = {},
): Promise<SyncSummary> {
  const { syncAll } = await import('./sync.ts')
  const { discoveryRoutes } = await import('../discovery/sync-routes.ts')
  const { dhtSettings } = await import('../discovery/settings.ts')
  const bootstrap = opts.dht === false ? undefined : (await dhtSettings(layout)).bootstrap
  const found = discoveryRoutes({ lan: opts.lan === false ? false : {}, dht: opts.dht === false ? false : { bootstrap } })
  try {
    return await syncAll(layout, {
      names: opts.names,
      passphrase: opts.passphrase,
      routes: found.routes,
      signal: opts.signal,
      onEvent: opts.onEvent,
    })
  } finally {
    await found.close()
  }
}
