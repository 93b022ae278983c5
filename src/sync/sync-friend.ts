// Syncs one followed friend: private pages (API, else their static host), then public posts; under a per-friend lock.
import crypto from 'node:crypto'
import path from 'node:path'
import type { SecretKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import type { Followed } from './follows.ts'
import { acquireLock } from './lock.ts'
import { privateViaApi } from './private-api.ts'
import { friendKeys, type FriendKeys } from './friend-key.ts'
import { privateViaStatic } from './private-static.ts'
import { publicViaApi, publicViaStatic } from './public-feed.ts'
import type { Session } from './session.ts'
import { sink } from './sink.ts'
import type { Counts, Rejection } from './store.ts'
import { readState, stagingDir, syncDir, writeState } from './sync-state.ts'
import { repairInterrupted } from './journal.ts'
import { sweepTemp } from './inbox-files.ts'
import { isLazy, labelOf, whyUnreachable, type Route, type RouteResolver } from './transport.ts'
import { stopped, withReach } from './reach.ts'

export interface FriendReport extends Counts {
  name: string
  via?: string
  /** what we could read: 'private+public', 'public' (not added by the friend yet, or a public follow) */
  access?: 'private+public' | 'public'
  rejected: Rejection[]
  /** why the sync of this friend stopped early; what was stored before it stays */
  error?: { code: string; message: string }
  notes: string[]
}

export interface SyncOptions {
  me: SecretKey
  routes: RouteResolver
  now?: () => number
  random?: (n: number) => Buffer
  lockWaitMs?: number
  /** forget the cursors and ask for everything again (files already right are not rewritten) */
  full?: boolean
  limits?: Partial<Session['limits']>
  onProgress?: (name: string, line: string) => void
  /** a route must give its first answer within this (default 30 s, the request timeout); then the usual limits apply */
  reachMs?: number
  /** stops the sync: requests in flight are aborted, no further route is tried */
  signal?: AbortSignal
  /** called as each route is tried: a lookup (LAN, DHT) first with `looking`, then the route it found with its label */
  onRoute?: (name: string, route: { via: string; label?: string; looking?: true }) => void
}

export const DEFAULT_SYNC_LIMITS: Session['limits'] = {
  answerBytes: 64 << 20,
  pageBytes: 16 << 20,
  fileBytes: 100 << 20,
  timeoutMs: 30_000,
}

export async function syncFriend(layout: Layout, friend: Followed, opts: SyncOptions): Promise<FriendReport> {
  const report: FriendReport = { name: friend.name, new: 0, updated: 0, deleted: 0, unchanged: 0, rejected: [], notes: [] }
  const progress = (line: string) => opts.onProgress?.(friend.name, line)
  let release: (() => Promise<void>) | undefined
  const { loadBlocked } = await import('../identity/index.ts')
  if ((await loadBlocked(layout).catch(() => new Set<string>())).has(friend.key.fingerprint)) {
    report.notes.push(`skipped: you blocked ${friend.name} (\`peerfeed unblock ${friend.name}\` to sync them again)`)
    return report
  }
  try {
    release = await acquireLock(path.join(syncDir(layout), `${friend.name}.lock`), { waitMs: opts.lockWaitMs })
    const state = await readState(layout, friend.name, friend.key.fingerprint)
    if (opts.full) {
      state.cursor = null
      state.publicCursor = null
    }
    const dir = path.join(layout.inbox, friend.name)
    // Temp files are left only by a run stopped mid-batch, which leaves its batch's journal too (journal.ts): an
    // inbox is walked for them only then, or when asked for everything again (walking 10,000 posts cost 0.1 s)
    if (state.pending || opts.full) await sweepTemp(dir, stagingDir(layout, friend.name))
    if (repairInterrupted(dir, state)) await writeState(layout, friend.name, state)
    const routes = await opts.routes({ ...friend, fingerprint: friend.key.fingerprint })
    if (routes.length === 0) {
      throw new PeerFeedError(
        'NO_ROUTE',
        `no way to reach "${friend.name}": no URL is followed and this sync looks nowhere else; follow them with a URL (peerfeed follow ${friend.name} URL) or let sync look on the LAN and the DHT (drop --no-lan/--no-dht).`,
      )
    }
    const failed: string[] = []
    let lastError: unknown
    for (const candidate of routes) {
      if (opts.signal?.aborted) throw stopped(opts.signal)
      let route: Route
      try {
        if (isLazy(candidate)) {
          progress(`looking for ${friend.name} (${candidate.via})…`)
          opts.onRoute?.(friend.name, { via: candidate.via, looking: true })
        }
        route = withReach(isLazy(candidate) ? await candidate.open() : candidate, { reachMs: opts.reachMs, signal: opts.signal })
        opts.onRoute?.(friend.name, { via: route.via, label: labelOf(route) })
      } catch (e) {
        lastError = e
        if (!(e instanceof PeerFeedError && e.code === 'UNREACHABLE')) break
        failed.push(`${candidate.via}: ${whyUnreachable(e)}`)
        progress(`${candidate.via}: ${whyUnreachable(e)}`)
        continue
      }
      const session: Session = {
        friend,
        me: opts.me,
        route,
        now: opts.now ?? Date.now,
        random: opts.random ?? crypto.randomBytes,
        limits: { ...DEFAULT_SYNC_LIMITS, ...opts.limits },
      }
      const out = sink(layout, friend.name, dir, state, session)
      try {
        report.via = `${route.via} ${labelOf(route)}`
        const keys = friendKeys(layout, session, state, (line) => {
          report.notes.push(line)
          progress(line)
        })
        await keys.check()
        await syncOver(session, state, out, report, progress, keys)
        lastError = undefined
      } catch (e) {
        lastError = e
      } finally {
        for (const k of ['new', 'updated', 'deleted', 'unchanged'] as const) report[k] += out.counts[k]
        report.rejected.push(...out.rejected)
      }
      if (opts.signal?.aborted) throw stopped(opts.signal)
      // Only an unreachable route is worth trying the next one for; anything else is this friend's answer.
      if (!(lastError instanceof PeerFeedError && lastError.code === 'UNREACHABLE')) break
      failed.push(`${route.via} ${labelOf(route)}: ${whyUnreachable(lastError)}`)
      progress(failed[failed.length - 1])
    }
    if (lastError instanceof PeerFeedError && lastError.code === 'UNREACHABLE' && failed.length > 0) {
      throw new PeerFeedError('UNREACHABLE', `could not reach ${friend.name}: ${failed.join('; ')}`, { cause: lastError })
    }
    if (lastError) throw lastError
  } catch (e) {
    report.error =
      e instanceof PeerFeedError ? { code: e.code, message: e.message } : { code: 'UNEXPECTED', message: (e as Error).message ?? String(e) }
  } finally {
    await release?.()
  }
  return report
}

async function syncOver(
  s: Session,
  state: Parameters<typeof privateViaApi>[1],
  out: ReturnType<typeof sink>,
  report: FriendReport,
  progress: (l: string) => void,
  keys: FriendKeys,
) {
  report.access = 'public'
  if (s.friend.friend) {
    progress(`asking ${labelOf(s.route)} for updates after ${state.cursor ?? 'the beginning'}…`)
    // encrypted to the key we know: after a rotation the answer carries the hand-over to the new one
    const outcome = await privateViaApi(s, state, out, keys)
    if (outcome === 'blocked') throw new PeerFeedError('BLOCKED', `${s.friend.name} has blocked your key; nothing was fetched.`)
    if (outcome === 'unknown_key') report.notes.push(`${s.friend.name} has not added your key yet: public posts only.`)
    else if (outcome === 'static') {
      await keys.settle() // a static host has no answer to carry a hand-over: key-rotation.json beside key.asc
      progress('no API there: reading our index on the static host…')
      const r = await privateViaStatic(s, state, out)
      if (r === 'none')
        report.notes.push(
          `no index for you on ${labelOf(s.route)}: ${s.friend.name} has not added your key yet (or not rebuilt): public posts only.`,
        )
      else report.access = 'private+public'
    } else report.access = 'private+public'
  } else {
    report.notes.push(`"${s.friend.name}" is not in keys/: public posts only (add them with peerfeed peer add).`)
  }
  await keys.settle() // public pages are signed by the key key.asc shows
  progress('reading public posts…')
  if ((await publicViaApi(s, state, out)) === 'static' && (await publicViaStatic(s, state, out)) === 'none') {
    report.notes.push('no public pages found.')
  }
}

export type { Route }
