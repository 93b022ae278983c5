// Turns timeline items into lines for a terminal, one readable block per post type. Pure: items and a clock in, text out.
import type { PostData } from '../posts/types.ts'
import { splitId } from '../posts/ids.ts'
import type { TimelineItem } from './load-timeline.ts'
import { shortId } from './short-ids.ts'

export function when(iso: string, now: number): string {
  const t = Date.parse(iso)
  const s = Math.round((now - t) / 1000)
  if (s >= 0 && s < 60) return 'just now'
  if (s >= 0 && s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s >= 0 && s < 86400) return `${Math.floor(s / 3600)} h ago`
  if (s >= 0 && s < 7 * 86400) return `${Math.floor(s / 86400)} d ago`
  return new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d(\.\d+)?Z$/, ' UTC')
}

/** "alice's 2026-11-24T09-30-00Z-first-snow" for a full id, with the author's petname when we know it. */
export function ref(id: string, names: ReadonlyMap<string, string>, excerpts: ReadonlyMap<string, string> = new Map()): string {
  const s = splitId(id)
  if (!s) return id
  const who = names.get(s.author)
  const what = excerpts.get(id) ? `"${excerpts.get(id)}"` : s.stem
  return who === 'me' ? `my ${what}` : who ? `${who}'s ${what}` : `${s.author.slice(0, 8)}…'s ${what}`
}

const num = (n: number | undefined, unit: string) => (n === undefined ? undefined : `${n} ${unit}`)
const duration = (d?: string) => d?.replace(/^PT?/, '').toLowerCase()

/** The lines describing a post's content (without the header line). */
export function body(p: PostData, names: ReadonlyMap<string, string>, excerpts?: ReadonlyMap<string, string>): string[] {
  const out: string[] = []
  switch (p.type) {
    case 'link':
      out.push(`🔗 ${p.title ? `${p.title} — ` : ''}${p.url}`)
      break
    case 'image':
      for (const a of p.attachments ?? []) out.push(`🖼  ${a.alt ? `"${a.alt}" ` : ''}(${a.path})`)
      break
    case 'event':
      out.push(`📅 ${p.name ?? 'event'}: ${p.start}${p.end ? ` → ${p.end}` : ''}${p.location ? ` @ ${p.location}` : ''}`)
      break
    case 'location':
      out.push(`📍 ${p.place ? `${p.place} ` : ''}(${p.lat}, ${p.lon})`)
      break
    case 'activity':
      out.push(`🏃 ${[p.activity, num(p.distanceKm, 'km'), duration(p.duration), num(p.elevationM, 'm up')].filter(Boolean).join(' · ')}`)
      break
    case 'comment':
      if (p.inReplyTo) out.push(`↳ in reply to ${ref(p.inReplyTo, names, excerpts)}`)
      break
    case 'like':
      if (p.object) out.push(`♥ liked ${ref(p.object, names, excerpts)}`)
      break
  }
  if (p.text) out.push(...p.text.split('\n'))
  if (p.type !== 'image') for (const a of p.attachments ?? []) out.push(`📎 ${a.path}${a.alt ? ` — ${a.alt}` : ''}`)
  if (p.tags?.length) out.push(p.tags.map((t) => `#${t}`).join(' '))
  return out
}

export function formatItem(
  item: TimelineItem,
  names: ReadonlyMap<string, string>,
  now: number,
  excerpts?: ReadonlyMap<string, string>,
): string {
  const p = item.post.data
  const audience = p.to?.length && !(p.to.length === 1 && p.to[0] === 'public') ? `  → ${p.to.join(', ')}` : ''
  const edited = p.updated ? ' (edited)' : ''
  const head = `${item.author} · ${when(p.published, now)}${edited} · ${p.type}${audience} · ${shortId(item)}`
  return [head, ...body(p, names, excerpts).map((l) => `  ${l}`)].join('\n')
}

/** The --json form: one object per post with its author and id. */
export const toJson = (items: TimelineItem[]) =>
  items.map((i) => ({ author: i.author, id: i.post.id, shortId: shortId(i), file: i.post.file, ...i.post.data }))
