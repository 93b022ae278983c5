// Pure: turns posts into the view objects templates read — every figure already formatted, every URL checked.
import type { Attachment, Post } from '../../posts/types.ts'
import { POST_TYPES } from '../../schemas/registry.ts'
import { firstLine, humanCoordinates, humanDuration, humanInstant, paragraphs, toUtcIso, trimNumber, wallTime } from './format.ts'
import type { Author, CommentView, PostRef, PostView, TagView } from './types.ts'
import { attachmentName, hostOf, osmUrl, paths, safeUrl, tagSlug, urlOf } from './urls.ts'

const [STATUS, IMAGE, LINK, LOCATION, EVENT, ACTIVITY, COMMENT, LIKE] = POST_TYPES
export const TYPES = { STATUS, IMAGE, LINK, LOCATION, EVENT, ACTIVITY, COMMENT, LIKE }

/** Each attachment of a post with the file name it gets beside the post page (deduplicated, never index.html). */
export function attachmentFiles(post: Post): { att: Attachment; name: string }[] {
  const seen = new Set<string>()
  return (post.data.attachments ?? []).map((att) => {
    let name = attachmentName(att.path)
    for (let i = 2; seen.has(name); i++) name = `${i}-${attachmentName(att.path)}`
    seen.add(name)
    return { att, name }
  })
}

const EXT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  gpx: 'application/gpx+xml',
}
/** The attachment's media type as recorded, else guessed from its extension (old posts may lack it). */
export const mediaTypeOf = (att: Attachment) =>
  att.mediaType ?? EXT_TYPES[att.path.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream'
export const isImage = (att: Attachment) => mediaTypeOf(att).startsWith('image/')

/** What the renderer knows about all posts: where each lives and who points at it. */
export interface SiteIndex {
  base: string
  ownerFingerprint: string
  slugs: Map<string, string>
  byId: Map<string, Post>
  comments: Map<string, Post[]>
  likes: Map<string, number>
  authors: ReadonlyMap<string, Author>
  /** every own post id (public or not), when known */
  ownIds?: ReadonlySet<string>
}

export function indexPosts(
  sorted: Post[],
  slugs: Map<string, string>,
  base: string,
  ownerFingerprint: string,
  authors: ReadonlyMap<string, Author> = new Map(),
  ownIds?: ReadonlySet<string>,
): SiteIndex {
  const byId = new Map(sorted.map((p) => [p.id, p]))
  const comments = new Map<string, Post[]>()
  const likes = new Map<string, number>()
  const full = (id: string) => fullId(ownerFingerprint, id)
  for (const p of sorted) {
    if (p.data.type === COMMENT && p.data.inReplyTo && byId.has(full(p.data.inReplyTo))) {
      const list = comments.get(full(p.data.inReplyTo)) ?? []
      list.push(p)
      comments.set(full(p.data.inReplyTo), list)
    }
    if (p.data.type === LIKE && p.data.object && byId.has(full(p.data.object))) {
      likes.set(full(p.data.object), (likes.get(full(p.data.object)) ?? 0) + 1)
    }
  }
  return { base, ownerFingerprint: ownerFingerprint.toLowerCase(), slugs, byId, comments, likes, authors, ownIds }
}

/** A post id as written in `inReplyTo`/`object` made full: a bare file stem names one of the owner's posts. */
export const fullId = (ownerFingerprint: string, id: string) => (id.includes('/') ? id : `${ownerFingerprint.toLowerCase()}/${id}`)

/**
 * A key that changes whenever postView(ix, post) would: it lists every input postView reads — the post, its slug,
 * its comments, its like count, the post it answers or likes — each by id, slug and content hash. With it, unchanged
 * pages are recognised without building a single view. Keep it in step with postView (test/build/site-plan.test.ts).
 */
export function viewKey(ix: SiteIndex, post: Post, dataHash: (p: Post) => string): string {
  const target = post.data.type === COMMENT ? post.data.inReplyTo : post.data.type === LIKE ? post.data.object : undefined
  const t = target ? ix.byId.get(fullId(ix.ownerFingerprint, target)) : undefined
  return JSON.stringify([
    post.id,
    ix.slugs.get(post.id),
    dataHash(post),
    // What a view shows of other posts: its comments (as comment views) and the title and URL of the post it answers.
    (ix.comments.get(post.id) ?? []).map((c) => commentView(ix, c)),
    ix.likes.get(post.id) ?? 0,
    t ? [t.id, ix.slugs.get(t.id), ownTitle(t)] : target ? refTo(ix, target, '') : null,
  ])
}

export const postUrl = (ix: SiteIndex, id: string) => ix.base + urlOf(paths.postDir(ix.slugs.get(id)!))

function capitalize(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** The title of a post without looking at other posts (used for neighbours and comment targets). */
export function ownTitle(post: Post): string {
  const d = post.data
  switch (d.type) {
    case LINK:
      return d.title || firstLine(d.text) || d.url || 'Link'
    case LOCATION:
      return d.place || firstLine(d.text) || humanCoordinates(d.lat ?? 0, d.lon ?? 0)
    case EVENT:
      return d.name || firstLine(d.text) || 'Event'
    case ACTIVITY:
      return activityTitle(post)
    case IMAGE:
      return firstLine(d.text) || firstLine(d.attachments?.[0]?.alt) || 'Photo'
    case LIKE:
      return 'Like'
    default:
      return firstLine(d.text) || capitalize(d.type)
  }
}

function activityTitle(post: Post): string {
  const d = post.data
  const parts = [capitalize(d.activity ?? 'activity')]
  if (d.distanceKm !== undefined) parts.push(`${trimNumber(d.distanceKm)} km`)
  if (d.duration) parts.push(`in ${humanDuration(d.duration)}`)
  return parts.join(' ')
}

/**
 * A reference to the post `id`: linked when it is on this site; for a friend's post a URN and the friend's name (from
 * their key, never a key id) with their site; never anything that names an own non-public post; a missing one says so.
 */
function refTo(ix: SiteIndex, id: string | undefined, verb: string): PostRef {
  const target = id ? ix.byId.get(fullId(ix.ownerFingerprint, id)) : undefined
  if (target) {
    const [fpr, stem] = target.id.split('/')
    return {
      url: postUrl(ix, target.id),
      ref: `urn:peerfeed:${fpr.toLowerCase()}:${stem}`,
      title: ownTitle(target),
      label: `${verb} “${ownTitle(target)}”`,
      what: `“${ownTitle(target)}”`,
    }
  }
  const [a, b] = (id ?? '').split('/')
  const [fpr, stem] = b === undefined ? [ix.ownerFingerprint, a] : [a.toLowerCase(), b]
  if (!stem || fpr === ix.ownerFingerprint || fpr === 'self') {
    if (ix.ownIds && stem && !ix.ownIds.has(`${ix.ownerFingerprint}/${stem}`)) {
      const what = `a post that does not exist (${stem})`
      return { missing: true, label: `${verb} ${what}`, what }
    }
    return { label: `${verb} a post that is not public`, what: 'a post that is not public' }
  }
  const by = ix.authors.get(fpr)
  const what = `a post by ${by?.name || 'someone this site does not know'}`
  return { ref: `urn:peerfeed:${fpr}:${stem}`, by, label: `${verb} ${what}`, what }
}

function commentView(ix: SiteIndex, c: Post): CommentView {
  const published = toUtcIso(c.data.published) ?? c.data.published
  return {
    id: c.id,
    url: postUrl(ix, c.id),
    title: ownTitle(c),
    paragraphs: paragraphs(c.data.text),
    published,
    publishedHuman: humanInstant(published),
  }
}

export function tagViews(ix: SiteIndex, tags: string[] | undefined): TagView[] {
  const seen = new Set<string>()
  const out: TagView[] = []
  for (const name of tags ?? []) {
    const slug = tagSlug(name)
    if (seen.has(slug)) continue
    seen.add(slug)
    out.push({ name, slug, url: ix.base + urlOf(paths.tag(slug)) })
  }
  return out
}

export function postView(ix: SiteIndex, post: Post): PostView {
  const d = post.data
  const url = postUrl(ix, post.id)
  const published = toUtcIso(d.published) ?? d.published
  const updated = toUtcIso(d.updated)
  const comments = (ix.comments.get(post.id) ?? []).map((c) => commentView(ix, c))
  const files = attachmentFiles(post)
  const v: PostView = {
    id: post.id,
    type: d.type,
    slug: ix.slugs.get(post.id)!,
    url,
    title: postTitle(ix, post),
    paragraphs: paragraphs(d.text),
    published,
    publishedHuman: humanInstant(published),
    updated,
    updatedHuman: updated ? humanInstant(updated) : undefined,
    tags: tagViews(ix, d.tags),
    images: files
      .filter((f) => isImage(f.att))
      .map((f) => ({ src: url + encodeURIComponent(f.name), alt: f.att.alt ?? '', mediaType: mediaTypeOf(f.att) })),
    files: files
      .filter((f) => !isImage(f.att))
      .map((f) => ({ href: url + encodeURIComponent(f.name), name: f.name, mediaType: mediaTypeOf(f.att), size: f.att.size })),
    comments,
    commentCount: comments.length,
    likeCount: ix.likes.get(post.id) ?? 0,
  }
  switch (d.type) {
    case LINK: {
      const href = safeUrl(d.url)
      v.name = d.title || d.url
      v.link = { href, text: d.url ?? '', title: d.title || d.url || 'Link', host: href ? hostOf(href) : undefined }
      break
    }
    case LOCATION:
      if (typeof d.lat === 'number' && typeof d.lon === 'number') {
        v.location = { lat: d.lat, lon: d.lon, place: d.place, coordinates: humanCoordinates(d.lat, d.lon), osmUrl: osmUrl(d.lat, d.lon) }
      }
      v.name = d.place
      break
    case EVENT:
      v.name = d.name || 'Event'
      v.event = { name: v.name, start: wallTime(d.start ?? ''), end: d.end ? wallTime(d.end) : undefined, location: d.location }
      break
    case ACTIVITY:
      v.name = v.title
      v.activity = {
        activity: d.activity ?? '',
        label: capitalize(d.activity ?? 'activity'),
        distance: d.distanceKm === undefined ? undefined : `${trimNumber(d.distanceKm)} km`,
        duration: d.duration ? humanDuration(d.duration) : undefined,
        durationIso: d.duration,
        elevation: d.elevationM === undefined ? undefined : `${trimNumber(d.elevationM, 0)} m`,
      }
      break
    case COMMENT:
      v.replyTo = refTo(ix, d.inReplyTo, 'In reply to')
      break
    case LIKE:
      v.likeOf = refTo(ix, d.object, 'Liked')
      break
  }
  return v
}

/** The title postView gives a post, without building the view: neighbour links on other pages show it. */
export function postTitle(ix: SiteIndex, post: Post): string {
  const d = post.data
  if (d.type === COMMENT) return firstLine(d.text) || refTo(ix, d.inReplyTo, 'In reply to').label
  if (d.type === LIKE) return refTo(ix, d.object, 'Liked').label
  return ownTitle(post)
}
