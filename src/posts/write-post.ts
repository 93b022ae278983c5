// Creates a new post file (and copies its attachments beside it), validated before anything is written.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Document } from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { stemFor } from './ids.ts'
import { parsePost } from './parse-post.ts'
import type { Attachment, PostData } from './types.ts'
import { mediaTypeOf } from './media-types.ts'
import { writeSimpleYaml } from './simple-yaml-write.ts'

export interface NewPost {
  data: Omit<PostData, 'published' | 'attachments'> & { published?: string }
  /** Files to copy beside the post, with optional alt text. */
  files?: { source: string; alt?: string }[]
}

export interface Written {
  file: string
  stem: string
  /** every path written, relative to the root: the post and its attachments */
  paths: string[]
}

/** Field order in written files: the shared fields first, then the type's, attachments last. */
const ORDER = [
  'type',
  'published',
  'updated',
  'to',
  'tags',
  'name',
  'title',
  'url',
  'start',
  'end',
  'location',
  'activity',
  'distanceKm',
  'duration',
  'elevationM',
  'lat',
  'lon',
  'place',
  'inReplyTo',
  'object',
  'text',
]

/** A post ready to be written: its file, text and attachment copies, already valid against its schema. */
export interface PreparedPost {
  /** absolute path of the post file */
  abs: string
  /** path relative to the root, forward slashes */
  file: string
  stem: string
  text: string
  data: PostData
  copies: { from: string; to: string }[]
}

/** Plans a new post (stem, attachments with size and hash, YAML text) and validates it; writes nothing. */
export async function preparePost(layout: Layout, post: NewPost, now = new Date()): Promise<PreparedPost> {
  const published = post.data.published ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const when = new Date(published)
  if (Number.isNaN(when.getTime())) throw new PeerFeedError('BAD_DATE', `'${published}' is not a date; write it like 2026-11-24T09:30:00Z`)
  const words = String(
    post.data.text ?? post.data.name ?? post.data.title ?? post.data.place ?? post.data.activity ?? post.data.url ?? post.data.type,
  )
  const dir = path.join(layout.feed, String(when.getUTCFullYear()), String(when.getUTCMonth() + 1).padStart(2, '0'))
  const stem = await freeStem(dir, stemFor(when, words))

  const attachments: Attachment[] = []
  const copies: { from: string; to: string }[] = []
  for (const [i, f] of (post.files ?? []).entries()) {
    const bytes = await fs.readFile(f.source).catch((e) => {
      throw new PeerFeedError('NO_FILE', `cannot read attachment '${f.source}': ${e.code ?? e.message}`, { cause: e })
    })
    const name = `${stem}${post.files!.length > 1 ? `-${i + 1}` : ''}${path.extname(f.source).toLowerCase()}`
    copies.push({ from: f.source, to: path.join(dir, name) })
    attachments.push({
      path: name,
      mediaType: mediaTypeOf(name),
      size: bytes.length,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      ...(f.alt ? { alt: f.alt } : {}),
    })
  }

  const data: Record<string, unknown> = { ...post.data, published }
  if (attachments.length) data.attachments = attachments
  const text = serializePost(data)
  const abs = path.join(dir, `${stem}.yaml`)
  const rel = path.relative(layout.root, abs).split(path.sep).join('/')
  const parsed = parsePost(text, rel)
  if (parsed.problems.length) {
    throw new PeerFeedError(
      'INVALID_POST',
      `the post is not valid, nothing was written:\n${parsed.problems.map((p) => `  ${p.message}`).join('\n')}`,
    )
  }
  return { abs, file: rel, stem, text, data: parsed.data!, copies }
}

/** Writes a prepared post and its attachments, each atomically and never over an existing file. */
export async function writePrepared(layout: Layout, p: PreparedPost): Promise<Written> {
  for (const c of p.copies) await writeFileAtomic(c.to, await fs.readFile(c.from), { exclusive: true })
  await writeFileAtomic(p.abs, p.text, { exclusive: true })
  const paths = [...p.copies.map((c) => c.to), p.abs].map((x) => path.relative(layout.root, x).split(path.sep).join('/'))
  return { file: p.file, stem: p.stem, paths }
}

/**
 * Validates a post against its schema and writes it: the low-level step. Commands and the app use
 * createPost (create-post.ts), which also checks the audience and replies and commits.
 */
export async function writePost(layout: Layout, post: NewPost, now = new Date()): Promise<Written> {
  return writePrepared(layout, await preparePost(layout, post, now))
}

const DATE_FIELDS = ['published', 'updated', 'start', 'end']
const QUOTED = new Set(DATE_FIELDS)

const FLOW = new Set(['to', 'tags'])

/** A post as YAML text: fields in the usual order, `to` and `tags` inline, dates double-quoted. */
export function serializePost(data: Record<string, unknown>): string {
  const ordered = orderFields(data)
  return writeSimpleYaml(ordered, { flow: FLOW, quoted: QUOTED }) ?? serializeWithYaml(ordered)
}

/** The post's fields in the usual order, the rest after them, undefined ones left out. */
export function orderFields(data: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {}
  for (const k of ORDER) if (data[k] !== undefined) ordered[k] = data[k]
  for (const k of Object.keys(data)) if (!(k in ordered) && data[k] !== undefined) ordered[k] = data[k]
  return ordered
}

/** What `yaml` writes for the post (fields already in order); serializePost's fast path writes the same bytes. */
export function serializeWithYaml(ordered: Record<string, unknown>): string {
  const doc = new Document(ordered)
  for (const k of FLOW) {
    const node = doc.get(k, true) as { flow?: boolean } | undefined
    if (node && typeof node === 'object') node.flow = true
  }
  // Quoted, so that YAML 1.1 readers (PyYAML) read dates as the strings they are, not as date objects.
  for (const k of DATE_FIELDS) {
    const node = doc.get(k, true) as { type?: string } | undefined
    if (node && typeof node === 'object') node.type = 'QUOTE_DOUBLE'
  }
  return doc.toString({ lineWidth: 0 })
}

/** A stem no other file in the folder has: `stem`, `stem-2`, `stem-3`, … */
async function freeStem(dir: string, stem: string): Promise<string> {
  const taken = new Set(await fs.readdir(dir).catch(() => [] as string[]))
  let s = stem
  for (let n = 2; taken.has(`${s}.yaml`); n++) s = `${stem}-${n}`
  return s
}
