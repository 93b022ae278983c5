// The app's syncing: background sync on the peerfeed.yaml interval, `Sync now`, and the progress of the current run
// per friend, broadcast over the event stream as it happens (so every open page shows it and new posts arrive live).
import { startBackgroundSync, type BackgroundSync } from '../sync/background.ts'
import type { SyncEvent } from '../sync/sync.ts'
import type { Layout } from '../paths.ts'
import type { EventHub } from './events.ts'

export interface FriendProgress {
  name: string
  state: 'waiting' | 'running' | 'ok' | 'failed'
  /** the route being tried or that answered */
  via?: string
  new?: number
  updated?: number
  deleted?: number
  /** plain words */
  error?: string
  ms?: number
}

export interface SyncView {
  running: boolean
  startedAt?: string
  endedAt?: string
  /** the whole run's failure (e.g. nobody followed yet) */
  error?: string
  friends: FriendProgress[]
  nextAt?: string
  intervalMs: number
  /**
   * counts every change to the state (a run starting, a friend's progress, a run's end), so that a page can tell a
   * state it fetched from one that an event already overtook
   */
  seq: number
}

export interface SyncRunnerOptions {
  /** ms between background runs; default from peerfeed.yaml (15 min); 0 = only Sync now */
  intervalMs?: number
  /** when the first background run starts (default: one interval after start; `peerfeed app`: at once) */
  firstAfterMs?: number
  /** false: do not look on the LAN / the DHT (tests, and `--no-lan`-like setups) */
  lan?: boolean
  dht?: boolean
  /** a route's deadline for its first answer */
  reachMs?: number
}

export class SyncRunner {
  #bg: BackgroundSync | undefined
  #friends = new Map<string, FriendProgress>()
  #startedAt: string | undefined
  #endedAt: string | undefined
  #error: string | undefined
  #seq = 0
  readonly #events: EventHub

  constructor(events: EventHub) {
    this.#events = events
  }

  async start(layout: Layout, opts: SyncRunnerOptions & { passphrase?: string }): Promise<this> {
    const { syncAll } = await import('../sync/sync.ts')
    const { syncEverywhere } = await import('../sync/background.ts')
    this.#bg = await startBackgroundSync(layout, {
      intervalMs: opts.intervalMs,
      firstAfterMs: opts.firstAfterMs,
      run: ({ signal, onEvent }) =>
        opts.lan === false && opts.dht === false
          ? syncAll(layout, { passphrase: opts.passphrase, signal, onEvent, reachMs: opts.reachMs })
          : syncEverywhere(layout, { passphrase: opts.passphrase, signal, onEvent, lan: opts.lan, dht: opts.dht }),
      onEvent: (e) => this.#on(e),
      onRun: (r) => {
        this.#endedAt = new Date().toISOString()
        this.#error = 'error' in r ? r.error.message : undefined
        this.#seq++
        this.#events.send('sync', { type: 'done', view: this.view() })
      },
    })
    return this
  }

  /** Starts a run (or joins the one in progress) and answers at once with the state. */
  now(): SyncView {
    if (!this.#bg) throw new Error('sync runner not started')
    if (!this.#bg.running) {
      this.#friends.clear()
      this.#startedAt = new Date().toISOString()
      this.#endedAt = undefined
      this.#error = undefined
      this.#seq++
      this.#bg.syncNow()
      this.#events.send('sync', { type: 'start', view: this.view() })
    }
    return this.view()
  }

  view(): SyncView {
    const bg = this.#bg
    return {
      running: Boolean(bg?.running),
      ...(this.#startedAt ? { startedAt: this.#startedAt } : {}),
      ...(this.#endedAt ? { endedAt: this.#endedAt } : {}),
      ...(this.#error ? { error: this.#error } : {}),
      friends: [...this.#friends.values()],
      ...(bg?.nextAt ? { nextAt: bg.nextAt.toISOString() } : {}),
      intervalMs: bg?.intervalMs ?? 0,
      seq: this.#seq,
    }
  }

  #on(e: SyncEvent) {
    // a timed run starts without now(): begin its view here
    if (!this.#startedAt || this.#endedAt) {
      this.#friends.clear()
      this.#startedAt = new Date().toISOString()
      this.#endedAt = undefined
      this.#error = undefined
    }
    const f = this.#friends.get(e.name) ?? { name: e.name, state: 'waiting' as const }
    if (e.type === 'started') f.state = 'running'
    else if (e.type === 'route') f.via = e.looking ? `looking on the ${e.via === 'lan' ? 'LAN' : e.via === 'dht' ? 'DHT' : e.via}` : e.label
    else {
      f.state = e.type === 'finished' ? 'ok' : 'failed'
      Object.assign(f, { new: e.report.new, updated: e.report.updated, deleted: e.report.deleted, ms: e.status.ms })
      if (e.type === 'failed') f.error = e.error.message
      if (e.report.via) f.via = e.report.via
    }
    this.#friends.set(e.name, f)
    this.#seq++
    this.#events.send('sync', { type: 'friend', friend: f, seq: this.#seq })
  }

  async close(): Promise<void> {
    await this.#bg?.close()
  }
}
