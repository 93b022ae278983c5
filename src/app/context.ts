// What every route can reach: the feed's layout, the live index, sessions, the event stream and the build state.
import type { LiveIndex } from '../index/live-index.ts'
import type { Layout } from '../paths.ts'
import type { EventHub } from './events.ts'
import type { Sessions } from './session.ts'
import type { SyncRunner } from './sync-runner.ts'

export interface BuildState {
  running: boolean
  /** when the last build finished, ms since epoch */
  at?: number
  ms?: number
  error?: string
}

export interface AppContext {
  layout: Layout
  index: LiveIndex
  sessions: Sessions
  events: EventHub
  /** the app's own origin, e.g. http://127.0.0.1:8090 */
  origin: string
  /** my display name (from peerfeed.yaml or the key) */
  selfName: string
  passphrase?: string
  build: BuildState
  now: () => number
  /** the LAN address paired devices use (`peerfeed app --lan`), e.g. http://192.168.1.20:8090 */
  lanOrigin?: string
  /** background sync and `Sync now` (absent when the app was started without syncing) */
  sync?: SyncRunner
}
