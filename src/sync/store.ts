// Applies checked entries to inbox/<name>/: newer versions replace older ones, tombstones delete, same version = no write.
import crypto from 'node:crypto'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import { serializePost } from '../posts/write-post.ts'
import type { Attachment } from '../posts/types.ts'
import { compareCursors } from '../protocol/cursor-order.ts'
import type { Accepted } from './check-entry.ts'
import { type InboxWriter, sameBytes } from './inbox-files.ts'
import type { SyncState } from './sync-state.ts'

export interface Counts {
  new: number
  updated: number
  deleted: number
  unchanged: number
}
export interface Rejection {
  id?: string
  why: string
}

export interface StoreContext {
  /** inbox/<name> */
  dir: string
  state: SyncState
  counts: Counts
  rejected: Rejection[]
  /** The bytes of an attachment, already checked against the signature or manifest; throws on failure. */
  fetchFile(entry: Accepted, attachment: Attachment): Promise<Uint8Array>
  files: InboxWriter
}

export const monthDir = (published: string) => {
  const d = new Date(published)
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex')

/** Applies a batch; only the newest version of each post in the batch counts. Throws only for failures worth retrying. */
export async function applyEntries(ctx: StoreContext, entries: Accepted[]): Promise<void> {
  const newest = new Map<string, Accepted>()
  for (const e of entries) {
    const prev = newest.get(e.stem)
    const order = prev ? compareCursors(e.cursor, prev.cursor) : 1
    // one version on a page for me alone and on a group's page: "to me" is what the person wants to know
    if (order > 0 || (order === 0 && prev?.audience !== 'you')) newest.set(e.stem, e)
  }
  // Which stem holds which attachment path, so one post cannot overwrite another's file.
  const owners = new Map<string, string>()
  for (const [stem, h] of Object.entries(ctx.state.held)) {
    if (h.f) for (const a of h.a ?? []) owners.set(`${path.posix.dirname(h.f)}/${a}`, stem)
  }
  const jobs: (() => Promise<void>)[] = []
  for (const e of newest.values()) {
    const held = ctx.state.held[e.stem]
    if (held && compareCursors(e.cursor, held.c) < 0) continue // an older version than the one we hold
    if (!e.post) {
      jobs.push(() => remove(ctx, e))
      continue
    }
    const dir = monthDir(e.post.published)
    const clash = (e.post.attachments ?? []).find((a) => {
      const o = owners.get(`${dir}/${a.path}`)
      return o !== undefined && o !== e.stem
    })
    if (clash) {
      ctx.rejected.push({ id: e.id, why: `its attachment ${clash.path} would overwrite another post's file` })
      continue
    }
    for (const a of e.post.attachments ?? []) owners.set(`${dir}/${a.path}`, e.stem)
    jobs.push(() => store(ctx, e, dir))
  }
  // Attachments are fetched a few at a time; writes themselves are synchronous (see inbox-files.ts).
  let i = 0
  const worker = async () => {
    while (i < jobs.length) await jobs[i++]()
  }
  await Promise.all(Array.from({ length: Math.min(8, jobs.length) }, worker))
}

async function remove(ctx: StoreContext, e: Accepted): Promise<void> {
  const held = ctx.state.held[e.stem]
  if (held?.f) {
    const base = path.posix.dirname(held.f)
    ctx.files.remove(path.join(ctx.dir, held.f))
    for (const a of held.a ?? []) ctx.files.remove(path.join(ctx.dir, base, a))
  }
  if (held && !held.d) ctx.counts.deleted++
  ctx.state.held[e.stem] = { c: e.cursor, d: true }
}

async function store(ctx: StoreContext, e: Accepted, dir: string): Promise<void> {
  const post = e.post!
  const held = ctx.state.held[e.stem]
  const atts = post.attachments ?? []
  const rel = `${dir}/${e.stem}.yaml`
  const file = path.join(ctx.dir, rel)
  // The same version we already hold, still on disk: nothing to do (the common case when pages overlap).
  if (held && !held.d && held.c === e.cursor && held.f === rel && ctx.files.read(file) !== undefined) {
    if (e.audience && held.to !== e.audience) held.to = e.audience
    ctx.counts.unchanged++
    return
  }
  let changed = false
  for (const a of atts) {
    const file = path.join(ctx.dir, dir, a.path)
    const have = ctx.files.read(file)
    if (have && a.sha256 && sha256(have) === a.sha256) continue
    let bytes: Uint8Array
    try {
      bytes = await ctx.fetchFile(e, a)
    } catch (err) {
      if (err instanceof PeerFeedError && err.code === 'BAD_FILE') {
        ctx.rejected.push({ id: e.id, why: err.message })
        return
      }
      throw err
    }
    if (!sameBytes(have, bytes)) {
      await ctx.files.write(file, bytes)
      changed = true
    }
  }
  // the text checkEntry checked, not a second serialisation of the same post
  const text = e.text ?? serializePost(post as unknown as Record<string, unknown>)
  // A post we never held is written without reading first (after an interrupted run it may exist: same bytes).
  const have = held && !held.d ? ctx.files.read(file) : undefined
  if (!sameBytes(have, text)) {
    await ctx.files.write(file, text)
    changed = true
  }
  if (held?.f) {
    const oldBase = path.posix.dirname(held.f)
    if (held.f !== rel) ctx.files.remove(path.join(ctx.dir, held.f))
    for (const a of held.a ?? []) {
      if (oldBase !== dir || !atts.some((x) => x.path === a)) ctx.files.remove(path.join(ctx.dir, oldBase, a))
    }
  }
  if (!held || held.d) ctx.counts.new++
  else if (changed || held.f !== rel) ctx.counts.updated++
  else ctx.counts.unchanged++
  ctx.state.held[e.stem] = {
    c: e.cursor,
    f: rel,
    ...(atts.length ? { a: atts.map((a) => a.path) } : {}),
    ...(e.audience ? { to: e.audience } : {}),
  }
}
