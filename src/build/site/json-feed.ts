// Pure: the JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the newest public posts.
import { entryId } from './atom.ts'
import { absolute, feedHtml, feedText } from './feed-html.ts'
import type { PostView, SiteView } from './types.ts'

export function jsonFeed(site: SiteView, entries: PostView[]): string {
  const abs = (u: string) => absolute(site, u)
  const author = { name: site.name, ...(site.url ? { url: site.url } : {}) }
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: site.name,
    // Identifiers must be absolute: without a configured `url` there is none to give, and JSON Feed lets them be left out.
    ...(site.absoluteBase ? { home_page_url: abs(site.urls.home), feed_url: abs(site.urls.jsonFeed) } : {}),
    authors: [author],
    items: entries.map((v) => ({
      id: entryId(v),
      url: abs(v.url),
      ...(v.link?.href ? { external_url: v.link.href } : {}),
      title: v.title,
      content_html: feedHtml(site, v),
      content_text: feedText(v),
      ...(v.images[0] ? { image: abs(v.images[0].src) } : {}),
      date_published: v.published,
      ...(v.updated ? { date_modified: v.updated } : {}),
      ...(v.tags.length ? { tags: v.tags.map((t) => t.name) } : {}),
      ...(v.images.length + v.files.length
        ? {
            attachments: [
              ...v.images.map((i) => ({ url: abs(i.src), mime_type: i.mediaType, title: i.alt })),
              ...v.files.map((f) => ({ url: abs(f.href), mime_type: f.mediaType, ...(f.size ? { size_in_bytes: f.size } : {}) })),
            ],
          }
        : {}),
    })),
  }
  return `${JSON.stringify(feed, null, 2)}\n`
}
