// Pure: an ActivityStreams 2.0 outbox (OrderedCollection; entries given newest first) of the newest public posts, one object type per post type.
import { entryId } from './atom.ts'
import { absolute, feedHtml } from './feed-html.ts'
import type { PostRef, PostView, SiteView } from './types.ts'
import { TYPES } from './views.ts'

type Obj = Record<string, unknown>

export function outbox(site: SiteView, entries: PostView[]): string {
  const abs = (u: string) => absolute(site, u)
  const actor = site.url ?? `urn:peerfeed:${site.fingerprint}`
  const ref = (r: PostRef | undefined) => (r?.url && site.absoluteBase ? abs(r.url) : r?.ref)
  // Ids must be absolute IRIs: the site's URLs when `url` is configured, else the posts' urn:peerfeed: ids.
  const idOf = (v: PostView) => (site.absoluteBase ? abs(v.url) : entryId(v))
  const items = entries.map((v): Obj => {
    if (v.type === TYPES.LIKE) {
      return { id: `${idOf(v)}#like`, type: 'Like', actor, published: v.published, ...(ref(v.likeOf) ? { object: ref(v.likeOf) } : {}) }
    }
    const object: Obj = {
      id: idOf(v),
      type: 'Note',
      attributedTo: actor,
      url: abs(v.url),
      published: v.published,
      ...(v.updated ? { updated: v.updated } : {}),
      content: feedHtml(site, v),
      ...(v.tags.length ? { tag: v.tags.map((t) => ({ type: 'Hashtag', name: `#${t.name}`, href: abs(t.url) })) } : {}),
    }
    const images = v.images.map((i) => ({ type: 'Image', url: abs(i.src), mediaType: i.mediaType, name: i.alt }))
    const files = v.files.map((f) => ({ type: 'Document', url: abs(f.href), mediaType: f.mediaType, name: f.name }))
    if (images.length + files.length) object.attachment = [...images, ...files]
    switch (v.type) {
      case TYPES.IMAGE:
        Object.assign(object, {
          type: 'Image',
          name: v.title,
          url: images.map((i) => ({ type: 'Link', href: i.url, mediaType: i.mediaType, name: i.name })),
        })
        break
      case TYPES.LINK:
        object.name = v.title
        if (v.link?.href)
          object.attachment = [{ type: 'Link', href: v.link.href, name: v.link.title }, ...((object.attachment as Obj[]) ?? [])]
        break
      case TYPES.LOCATION:
        Object.assign(object, {
          type: 'Place',
          name: v.title,
          ...(v.location ? { latitude: v.location.lat, longitude: v.location.lon } : {}),
        })
        break
      case TYPES.EVENT:
        Object.assign(object, {
          type: 'Event',
          name: v.event!.name,
          startTime: v.event!.start.iso,
          ...(v.event!.end ? { endTime: v.event!.end.iso } : {}),
          ...(v.event!.location ? { location: { type: 'Place', name: v.event!.location } } : {}),
        })
        break
      case TYPES.ACTIVITY:
        object.name = v.title
        break
      case TYPES.COMMENT:
        if (ref(v.replyTo)) object.inReplyTo = ref(v.replyTo)
        break
    }
    return { id: `${idOf(v)}#create`, type: 'Create', actor, published: v.published, object }
  })
  const collection = {
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: site.absoluteBase ? abs(site.urls.outbox) : `urn:peerfeed:${site.fingerprint}#outbox`,
    type: 'OrderedCollection',
    summary: `Newest public posts of ${site.name}`,
    totalItems: items.length,
    orderedItems: items,
  }
  return `${JSON.stringify(collection, null, 2)}\n`
}
