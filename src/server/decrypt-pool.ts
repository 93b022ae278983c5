// A pool of worker threads for request decryption, so the server's own thread keeps answering while keys do math.
// Each worker has a heap limit and each request a time limit: a worker over either is ended and replaced.
import type { Worker } from 'node:worker_threads'
import { PeerFeedError } from '../errors.ts'
import { startWorker } from '../worker-thread.ts'
import type { Layout } from '../paths.ts'
import type { Decryptor, Opened } from './decryptor.ts'

/** Per worker: enough for openpgp and a few requests; a request needs well under 1 MB. */
export const WORKER_HEAP_MB = 96
/** One request's decryption takes milliseconds; one this slow is ended with its worker. */
export const WORKER_JOB_MS = 10_000

const spawn = (workerData: object): Worker =>
  startWorker(new URL('./decrypt-worker.ts', import.meta.url), {
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 },
  })

interface Job {
  resolve: (v: Opened) => void
  reject: (e: unknown) => void
  timer?: NodeJS.Timeout
}
interface Waiting extends Job {
  id: number
  message: string
  now: number
}
/** Requests handed to one worker at a time (it always has the next one at hand); the rest wait here, friends first. */
export const WORKER_INFLIGHT = 8
/** Of every this many requests handed to workers while both lanes wait, one is from the common lane. */
export const FRIEND_SHARE = 4
interface Slot {
  /** the worker has loaded the keys and takes requests */
  up: boolean
  w: Worker
  jobs: Map<number, Job>
  ready: Promise<void>
}

export async function workerDecryptor({
  layout,
  passphrase,
  workers,
  jobMs = WORKER_JOB_MS,
  log = () => {},
}: {
  layout: Layout
  passphrase?: string
  workers: number
  jobMs?: number
  log?: (m: string) => void
}): Promise<Decryptor> {
  let nextId = 0
  let closing = false
  const data = { root: layout.root, dist: layout.dist, passphrase }

  function start(): Slot {
    const w = spawn(data)
    const slot: Slot = { up: false, w, jobs: new Map(), ready: undefined as unknown as Promise<void> }
    slot.ready = new Promise<void>((resolve, reject) => {
      w.on('message', (m: { ready?: true; id?: number; opened?: Opened; error?: { code: string; message: string } }) => {
        if (m.ready) {
          slot.up = true
          resolve()
          return pump()
        }
        const job = slot.jobs.get(m.id!)
        if (!job) return
        slot.jobs.delete(m.id!)
        clearTimeout(job.timer)
        if (m.error) job.reject(new PeerFeedError(m.error.code, m.error.message))
        else job.resolve(m.opened!)
        pump()
      })
      w.once('error', (e) => {
        reject(e)
        replace(slot, `a decrypt worker failed: ${(e as Error).message}`, 'TOO_LARGE')
      })
      w.once('exit', () => {
        if (!closing) replace(slot, 'a decrypt worker stopped', 'BUSY')
      })
    })
    return slot
  }

  // Two lanes: requests on a connection that already carried a friend's answered request go first, so a friend
  // is not queued behind a crowd of strangers' (or garbage) requests waiting for a key agreement.
  const lanes: { friend: Waiting[]; other: Waiting[] } = { friend: [], other: [] }
  const pool: Slot[] = Array.from({ length: workers }, start)
  await Promise.all(pool.map((s) => s.ready))

  /** Ends a worker that failed or overran and fails its requests; a fresh worker takes its place. */
  function replace(slot: Slot, why: string, code: string) {
    const i = pool.indexOf(slot)
    if (i < 0) return
    log(why)
    for (const job of slot.jobs.values()) {
      clearTimeout(job.timer)
      job.reject(
        new PeerFeedError(
          code,
          code === 'TIMEOUT'
            ? 'the request took too long to open; it was dropped.'
            : "the request could not be opened within this server's limits.",
        ),
      )
    }
    slot.jobs.clear()
    void slot.w.terminate()
    if (closing) return
    pool[i] = start()
    pool[i].ready.catch(() => {})
  }

  let turn = 0
  function pump() {
    for (;;) {
      // friends first, but not only: every FRIEND_SHARE-th request comes from the common lane when it has one
      // waiting, so a friend's first request (on a new connection) and strangers' requests are never starved
      const takeOther = lanes.other.length && (!lanes.friend.length || ++turn % FRIEND_SHARE === 0)
      const lane = takeOther ? lanes.other : lanes.friend
      if (!lane.length) return
      let slot: Slot | undefined
      for (const c of pool) if (c.up && c.jobs.size < WORKER_INFLIGHT && (!slot || c.jobs.size < slot.jobs.size)) slot = c
      if (!slot) return
      const job = lane.shift()!
      const to = slot
      // the time limit runs from the moment a worker has the request, not while it waits for one
      job.timer = setTimeout(() => replace(to, `a request took more than ${jobMs} ms to open; its worker was replaced`, 'TIMEOUT'), jobMs)
      to.jobs.set(job.id, job)
      to.w.postMessage({ id: job.id, message: job.message, now: job.now })
    }
  }

  return {
    open(message, _signers, now, opts) {
      const id = nextId++
      return new Promise<Opened>((resolve, reject) => {
        ;(opts?.friend ? lanes.friend : lanes.other).push({ id, message, now, resolve, reject })
        pump()
      })
    },
    pending: () => pool.reduce((n, s) => n + s.jobs.size, 0) + lanes.friend.length + lanes.other.length,
    async close() {
      closing = true
      const waiting = [...lanes.friend.splice(0), ...lanes.other.splice(0)]
      for (const job of [...waiting, ...pool.flatMap((s) => [...s.jobs.values()])]) {
        clearTimeout(job.timer)
        job.reject(new PeerFeedError('CLOSED', 'the server is closing.'))
      }
      await Promise.all(pool.map((s) => s.w.terminate()))
    },
  }
}
