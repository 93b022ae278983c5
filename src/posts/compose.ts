// Turns `peerfeed post` flags into post data: picks the type from the flags when none is given. Pure.
import { PeerFeedError } from '../errors.ts'
import { isPostType, POST_TYPES } from '../schemas/registry.ts'
import type { NewPost } from './write-post.ts'
import type { PostData, PostType } from './types.ts'

export interface PostFlags {
  text?: string
  to: string[]
  tags: string[]
  url?: string
  title?: string
  images: string[]
  alt?: string
  lat?: number
  lon?: number
  place?: string
  name?: string
  start?: string
  end?: string
  location?: string
  activity?: string
  distance?: number
  duration?: string
  elevation?: number
  inReplyTo?: string
  object?: string
  date?: string
}

/** The type a flag implies, in order of precedence: `--image` makes an image post, and so on. */
const IMPLIED: [keyof PostFlags, PostType][] = [
  ['images', 'image'],
  ['url', 'link'],
  ['lat', 'location'],
  ['start', 'event'],
  ['activity', 'activity'],
  ['inReplyTo', 'comment'],
  ['object', 'like'],
]

/**
 * The positional words of `peerfeed post [TYPE] [TEXT]`: a known type then the text (`post link "Worth a read"`), or
 * the text alone (`post "Hello"` is a status, as in any social app). One word that is not a type is refused as an
 * unknown type (a typo like `post stauts` must not become a post); the text given twice is refused too.
 */
export function wordsOrType(first: string | undefined, second: string | undefined, text: string | undefined) {
  const twice = () => {
    throw new PeerFeedError('TEXT_TWICE', 'the text is given twice (as words and with --text); give it once; nothing was posted')
  }
  if (first === undefined || isPostType(first)) {
    if (second !== undefined && text !== undefined) twice()
    return { type: first, text: second ?? text }
  }
  if (second !== undefined || !/\s/.test(first.trim())) {
    throw new PeerFeedError(
      'UNKNOWN_TYPE',
      `unknown post type '${first}' (known types: ${POST_TYPES.join(', ')}); to post words, give them with --text: peerfeed post --text "${[first, second].filter(Boolean).join(' ')}"`,
    )
  }
  if (text !== undefined) twice()
  return { type: undefined, text: first }
}

export function inferType(type: string | undefined, f: PostFlags): PostType {
  if (type !== undefined) {
    if (!isPostType(type)) throw new PeerFeedError('UNKNOWN_TYPE', `unknown post type '${type}' (known types: ${POST_TYPES.join(', ')})`)
    return type
  }
  for (const [flag, t] of IMPLIED) {
    const v = f[flag]
    if (Array.isArray(v) ? v.length : v !== undefined) return t
  }
  return 'status'
}

export function compose(type: PostType, f: PostFlags): NewPost {
  const data: Record<string, unknown> = { type }
  if (f.date) data.published = f.date
  if (f.to.length && !(f.to.length === 1 && f.to[0] === 'public')) data.to = f.to
  if (f.tags.length) data.tags = f.tags.map((t) => t.replace(/^#/, ''))
  const fields: Record<PostType, (keyof PostFlags)[]> = {
    status: [],
    image: [],
    link: ['url', 'title'],
    location: ['lat', 'lon', 'place'],
    event: ['name', 'start', 'end', 'location'],
    activity: ['activity', 'distance', 'duration', 'elevation'],
    comment: ['inReplyTo'],
    like: ['object'],
  }
  const rename: Partial<Record<keyof PostFlags, string>> = { distance: 'distanceKm', elevation: 'elevationM' }
  for (const k of fields[type]) if (f[k] !== undefined) data[rename[k] ?? k] = f[k]
  if (f.text !== undefined && f.text.trim() !== '' && type !== 'like') data.text = f.text.trim()
  const files = type === 'image' ? f.images.map((source) => ({ source, alt: f.alt })) : []
  return { data: data as unknown as PostData, files }
}
