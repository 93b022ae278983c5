// Validates one received entry before anything touches the disk: author, id, cursor, the same checks as
// `peerfeed check` (schemas and date rules), attachment paths; and keeps only the fields a page may carry. Pure.
import { isCursor, type Entry } from '../protocol/wire.ts'
import { parsePost } from '../posts/parse-post.ts'
import { serializePost } from '../posts/write-post.ts'
import { isPostType } from '../schemas/registry.ts'
import { ID_PATTERN } from '../posts/ids.ts'
import type { PostData } from '../posts/types.ts'

export interface Accepted {
  cursor: string
  id: string
  stem: string
  post?: PostData
  /** the post file's text, exactly as checked: what is stored */
  text?: string
  files?: Record<string, string>
  /** for a private entry: 'you' or the friend's group name (from the signed page, see session.ts) */
  audience?: string
}

export type Checked = { ok: Accepted } | { rejected: string; id?: string }

/** A plain relative path: no '..', no absolute path, no hidden segment, never a .yaml (that would pose as a post). */
const SAFE_PATH = /^(?!.*(^|\/)\.)[A-Za-z0-9_][A-Za-z0-9._ -]*(\/[A-Za-z0-9_][A-Za-z0-9._ -]*)*$/

export function checkEntry(raw: unknown, owner: string): Checked {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { rejected: 'an entry is not a JSON object' }
  const e = raw as Entry
  const id = typeof e.id === 'string' ? e.id.slice(0, 200) : undefined
  const no = (why: string): Checked => ({ rejected: why, id })
  if (!isCursor(e.cursor)) return no('its cursor is not a decimal string')
  const m = id ? ID_PATTERN.exec(id) : null
  if (!m) return no('its id is not <fingerprint>/<file name>')
  if (m[1] !== owner) return no(`its id names another author (${m[1]}), not the friend (${owner})`)
  const stem = m[2]
  if (stem.length > 150) return no('its file name is too long')
  if (e.deleted === true) return e.post === undefined ? { ok: { cursor: e.cursor, id: m[0], stem } } : no('it is both deleted and a post')
  const given = e.post as unknown
  if (!given || typeof given !== 'object' || Array.isArray(given)) return no('it has no post')
  // A page never carries `to` (the owner's petnames and group names, docs/protocol.md): drop it, never store it.
  const { to: _to, ...post } = given as Record<string, unknown>
  const type = post.type
  if (!isPostType(type)) return no(`unknown post type ${JSON.stringify(String(type)).slice(0, 40)}`)
  // Exactly what `peerfeed check` does to a post file, on exactly the text that will be stored.
  const text = serializePost(post)
  const { data, problems } = parsePost(text, `${stem}.yaml`)
  if (!data || problems.length)
    return no(`the post fails the ${type} schema, as \`peerfeed check\` applies it: ${problems[0]?.message ?? 'it is invalid'}`)
  const p = data
  const attachments = p.attachments ?? []
  for (const a of attachments) {
    if (!SAFE_PATH.test(a.path) || a.path.endsWith('.yaml') || a.path.length > 200)
      return no(`attachment path ${JSON.stringify(a.path).slice(0, 80)} is not a plain relative file name`)
  }
  let files: Record<string, string> | undefined
  if (e.files !== undefined) {
    if (!e.files || typeof e.files !== 'object' || Array.isArray(e.files)) return no("its 'files' is not an object")
    files = {}
    for (const [k, v] of Object.entries(e.files)) {
      if (typeof v !== 'string' || !attachments.some((a) => a.path === k))
        return no(`its 'files' names ${JSON.stringify(k).slice(0, 60)}, which is not an attachment of the post`)
      files[k] = v
    }
  }
  for (const a of attachments) if (!files?.[a.path]) return no(`attachment ${a.path} has no place to fetch it from`)
  return { ok: { cursor: e.cursor, id: m[0], stem, post: p, text, ...(files ? { files } : {}) } }
}
