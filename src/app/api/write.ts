// Writing: new posts of every type (with uploaded pictures), replies and likes, edits and deletes of my posts.
// Everything goes through src/posts (compose → validate → write → commit), the same path as `peerfeed post`.
import crypto from 'node:crypto'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { compose, type PostFlags } from '../../posts/compose.ts'
import { fieldProblems } from '../../posts/field-problems.ts'
import { deletePost, editPost, savePost } from '../../posts/save-post.ts'
import { isPostType, POST_TYPES } from '../../schemas/registry.ts'
import { HttpError, readBody, readJson } from '../http.ts'
import type { Request, Router } from '../router.ts'
import { viewer } from './read.ts'

const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/avif': '.avif',
}
const UPLOAD_NAME = /^[A-Za-z0-9_-]{16,64}\.(jpg|png|gif|webp|avif)$/
const MAX_UPLOAD = 25_000_000

export const uploadsDir = (q: Request) => path.join(q.app.layout.state, 'uploads')

export function routes(r: Router) {
  r.post('/api/uploads', async (q) => {
    const ext = IMAGE_TYPES[(q.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()]
    if (!ext) throw new HttpError(415, 'NOT_AN_IMAGE', `pictures must be JPEG, PNG, GIF, WebP or AVIF`)
    const bytes = await readBody(q.req, MAX_UPLOAD)
    if (!bytes.length) throw new HttpError(400, 'EMPTY_UPLOAD', 'the picture is empty')
    const name = crypto.randomBytes(16).toString('base64url') + ext
    await fs.mkdir(uploadsDir(q), { recursive: true, mode: 0o700 })
    await fs.writeFile(path.join(uploadsDir(q), name), bytes, { flag: 'wx' })
    return { upload: name, size: bytes.length }
  })

  r.post('/api/posts', async (q) => {
    const body = await readJson(q.req)
    const type = String(body.type ?? 'status')
    if (!isPostType(type))
      throw new HttpError(400, 'UNKNOWN_TYPE', `unknown post type '${type}' (known: ${POST_TYPES.join(', ')})`, {
        type: 'choose a post type',
      })
    const flags = flagsOf(body)
    if (type === 'comment' || type === 'like') defaultAudience(q, flags)
    const post = compose(type, flags)
    const images = type === 'image' ? imagesOf(body) : []
    const fields: Record<string, string> = {}
    if (type === 'image' && !images.length) fields.images = 'add at least one picture'
    images.forEach((im, i) => {
      if (!im.alt.trim()) fields[`alt-${i}`] = 'describe this picture for people who cannot see it'
    })
    const check = {
      ...post.data,
      ...(images.length
        ? { attachments: images.map((im) => ({ path: `x${path.extname(im.upload)}`, mediaType: 'image/jpeg', alt: im.alt.trim() || 'x' })) }
        : {}),
    }
    Object.assign(fields, fieldProblems(check as unknown as Record<string, unknown>), fields)
    if (type === 'image' && !images.length) delete fields.attachments
    checkAudience(q, flags.to, fields)
    if (Object.keys(fields).length) throw new HttpError(422, 'INVALID_POST', 'the post is not valid yet; nothing was written', fields)
    post.files = images.map((im) => ({ source: path.join(uploadsDir(q), im.upload), alt: im.alt.trim() }))
    const saved = await savePost(q.app.layout, post, { now: new Date(q.app.now()) })
    for (const f of post.files) await fs.rm(f.source, { force: true })
    return answer(q, saved.file, 201)
  })

  r.put('/api/posts/:stem', async (q) => {
    const e = mine(q)
    const body = await readJson(q.req)
    const flags = flagsOf(body)
    const post = compose(e.post.data.type, { ...flags, inReplyTo: e.post.data.inReplyTo, object: e.post.data.object })
    const alts = Array.isArray(body.alts) ? body.alts.map((a) => String(a ?? '').trim()) : undefined
    const fields: Record<string, string> = {}
    alts?.forEach((a, i) => {
      if (!a) fields[`alt-${i}`] = 'describe this picture for people who cannot see it'
    })
    const atts = e.post.data.attachments?.map((a, i) => ({ ...a, alt: alts?.[i] || a.alt }))
    Object.assign(
      fields,
      fieldProblems({ ...post.data, ...(atts?.length ? { attachments: atts } : {}) } as unknown as Record<string, unknown>),
      fields,
    )
    checkAudience(q, flags.to, fields)
    if (Object.keys(fields).length) throw new HttpError(422, 'INVALID_POST', 'the edit is not valid yet; nothing was written', fields)
    const saved = await editPost(q.app.layout, e.post.file, post.data, { now: new Date(q.app.now()), alts })
    return answer(q, saved.file, 200)
  })

  r.delete('/api/posts/:stem', async (q) => {
    const e = mine(q)
    await deletePost(q.app.layout, e.post.file)
    const change = q.app.index.refreshFile(e.post.file)
    if (change.removed.length) q.app.events.send('posts', change)
    return { deleted: e.post.id }
  })
}

function mine(q: Request) {
  const e = q.app.index.byId.get(`${q.app.index.selfFingerprint}/${q.params.stem}`)
  if (!e) throw new HttpError(404, 'NO_POST', 'no post of yours by that name')
  return e
}

/** The new or changed post as the app shows it; the index learns of it now rather than when the watcher fires. */
async function answer(q: Request, file: string, status: number) {
  const change = q.app.index.refreshFile(file)
  if (change.changed.length) q.app.events.send('posts', change)
  const e = q.app.index.entryOfFile(file)
  q.res.statusCode = status
  return { entry: e ? (await viewer(q)).view(e, 6) : null }
}

/** A reply or like goes by default to the friend who wrote the post, or to the audience of my own post. */
function defaultAudience(q: Request, flags: PostFlags) {
  if (flags.to.length) return
  const target = flags.inReplyTo ?? flags.object
  const e = target ? q.app.index.byId.get(target) : undefined
  if (!e) return
  if (e.author !== 'me') flags.to = [e.author]
  else flags.to = e.post.data.to?.length ? [...e.post.data.to] : []
}

function checkAudience(q: Request, to: string[], fields: Record<string, string>) {
  const known = new Set([...q.app.index.fingerprints.keys()])
  for (const n of to) {
    if (n === 'public') continue
    if (!known.has(n) && !groupNames(q).has(n)) fields.to ??= `nobody called "${n}": pick friends or groups you have`
  }
  if (to.includes('public') && to.length > 1) fields.to ??= 'a post is either public or for chosen friends and groups, not both'
}

const groupCache = new Map<string, { at: number; names: Set<string> }>()
function groupNames(q: Request): Set<string> {
  // group files are few and small: a listing at most once a second per feed
  const dir = q.app.layout.groups
  let c = groupCache.get(dir)
  if (!c || q.app.now() - c.at > 1000) {
    let names: string[] = []
    try {
      names = fsSync
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -5))
    } catch {
      /* no groups yet */
    }
    c = { at: q.app.now(), names: new Set(names) }
    groupCache.set(dir, c)
  }
  return c.names
}

const str = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v))
const num = (v: unknown) => {
  const s = str(v)
  if (s === undefined) return undefined
  const n = Number(s)
  return Number.isFinite(n) ? n : (s as unknown as number) // left as text: the schema names the field
}
const strings = (v: unknown) =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/) : []).map((s) => String(s).trim()).filter(Boolean)

function flagsOf(b: Record<string, unknown>): PostFlags {
  return {
    text: typeof b.text === 'string' ? b.text : undefined,
    to: strings(b.to),
    tags: strings(b.tags),
    url: str(b.url),
    title: str(b.title),
    images: [],
    lat: num(b.lat),
    lon: num(b.lon),
    place: str(b.place),
    name: str(b.name),
    start: str(b.start),
    end: str(b.end),
    location: str(b.location),
    activity: str(b.activity),
    distance: num(b.distanceKm),
    duration: str(b.duration),
    elevation: num(b.elevationM),
    inReplyTo: str(b.inReplyTo),
    object: str(b.object),
  }
}

function imagesOf(b: Record<string, unknown>): { upload: string; alt: string }[] {
  const list = Array.isArray(b.images) ? b.images : []
  return list.slice(0, 20).map((x) => {
    const o = (x ?? {}) as Record<string, unknown>
    const upload = String(o.upload ?? '')
    if (!UPLOAD_NAME.test(upload)) throw new HttpError(400, 'BAD_UPLOAD', 'a picture was not uploaded through the app; add it again')
    return { upload, alt: String(o.alt ?? '') }
  })
}
