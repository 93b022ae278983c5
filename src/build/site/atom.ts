// Pure: the Atom 1.0 feed (RFC 4287) of the newest public posts. A serializer, not a template, so it is always well-formed.
import { absolute, feedHtml } from './feed-html.ts'
import type { PostView, SiteView } from './types.ts'

// XML 1.0 forbids most control characters and lone surrogates even when escaped: drop them.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const XML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
export const escapeXml = (s: unknown) =>
  String(s ?? '')
    .replace(INVALID_XML, '')
    .replace(/[&<>"']/g, (c) => XML_ESC[c]!)

/** A post's permanent id in feeds: independent of where the site is hosted, so moving the site does not duplicate entries. */
export const entryId = (v: PostView) => {
  const [fpr, stem] = v.id.split('/')
  return `urn:peerfeed:${fpr}:${encodeURIComponent(stem ?? '')}`
}

/** The newest `updated ?? published` of the given posts; a fixed epoch for an empty feed, never the build time. */
export const feedUpdated = (entries: PostView[]) =>
  entries.reduce((max, v) => ((v.updated ?? v.published) > max ? (v.updated ?? v.published) : max), '1970-01-01T00:00:00Z')

export function atomFeed(site: SiteView, entries: PostView[]): string {
  const x = escapeXml
  const abs = (u: string) => absolute(site, u)
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:peerfeed:${x(site.fingerprint)}</id>`,
    `  <title>${x(site.name)}</title>`,
    `  <updated>${x(feedUpdated(entries))}</updated>`,
    `  <author><name>${x(site.name)}</name>${site.url ? `<uri>${x(site.url)}</uri>` : ''}${site.email ? `<email>${x(site.email)}</email>` : ''}</author>`,
    `  <link rel="self" type="application/atom+xml" href="${x(abs(site.urls.atom))}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(abs(site.urls.home))}"/>`,
    '  <generator uri="https://github.com/peerfeed">PeerFeed</generator>',
  ]
  for (const v of entries) {
    lines.push(
      '  <entry>',
      `    <id>${x(entryId(v))}</id>`,
      `    <title>${x(v.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(abs(v.url))}"/>`,
      `    <published>${x(v.published)}</published>`,
      `    <updated>${x(v.updated ?? v.published)}</updated>`,
      ...v.tags.map((t) => `    <category term="${x(t.name)}"/>`),
      ...(v.replyTo?.url || v.replyTo?.ref
        ? [`    <link rel="related" href="${x(v.replyTo.url ? abs(v.replyTo.url) : v.replyTo.ref)}"/>`]
        : []),
      `    <content type="html">${x(feedHtml(site, v))}</content>`,
      '  </entry>',
    )
  }
  lines.push('</feed>', '')
  return lines.join('\n')
}
