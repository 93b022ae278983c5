// Pure: a compact HTML rendering of one post for feed readers (Atom content, JSON Feed content_html), absolute links.
import type { PostView, SiteView } from './types.ts'
import { safeUrl } from './urls.ts'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!)

// http(s) URLs in running text; trailing punctuation that usually ends a sentence is not part of the link
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/g

/** Plain text as HTML: escaped, with every http(s) URL in it a link (rel="nofollow ugc"). */
export function linkify(text: unknown): string {
  const s = String(text ?? '')
  let out = ''
  let last = 0
  for (const m of s.matchAll(URL_IN_TEXT)) {
    let url = m[0]
    while (/[.,;:!?'’)\]]$/.test(url) && !(url.endsWith(')') && url.includes('('))) url = url.slice(0, -1)
    const href = safeUrl(url)
    if (!href) continue
    out += `${escapeHtml(s.slice(last, m.index))}<a href="${escapeHtml(href)}" rel="nofollow ugc">${escapeHtml(url)}</a>`
    last = m.index! + url.length
  }
  return out + escapeHtml(s.slice(last))
}

/** A site URL as an absolute URL when the owner gave the site's address; otherwise as it is. */
export const absolute = (site: SiteView, url: string) => (site.absoluteBase ? new URL(url, site.absoluteBase).href : url)

export function feedHtml(site: SiteView, v: PostView): string {
  const e = escapeHtml
  const out: string[] = []
  const a = (href: string | undefined, text: string) => (href ? `<a href="${e(href)}">${e(text)}</a>` : e(text))
  if (v.replyTo)
    out.push(`<p>${v.replyTo.url ? `In reply to ${a(absolute(site, v.replyTo.url), `“${v.replyTo.title}”`)}` : e(v.replyTo.label)}</p>`)
  if (v.likeOf) out.push(`<p>${v.likeOf.url ? `Liked ${a(absolute(site, v.likeOf.url), `“${v.likeOf.title}”`)}` : e(v.likeOf.label)}</p>`)
  if (v.link) out.push(`<p>${a(v.link.href, v.link.title)}${v.link.host ? ` (${e(v.link.host)})` : ''}</p>`)
  if (v.event) {
    const s = v.event.start
    const when = [s.date, s.time, s.zone].filter(Boolean).join(' ')
    const end = v.event.end ? ` – ${[v.event.end.date, v.event.end.time, v.event.end.zone].filter(Boolean).join(' ')}` : ''
    out.push(`<p><strong>${e(v.event.name)}</strong><br>${e(when + end)}${v.event.location ? `<br>${e(v.event.location)}` : ''}</p>`)
  }
  if (v.location) out.push(`<p>${v.location.place ? `${e(v.location.place)}<br>` : ''}${a(v.location.osmUrl, v.location.coordinates)}</p>`)
  if (v.activity) {
    const figs = [v.activity.distance, v.activity.duration, v.activity.elevation && `${v.activity.elevation} elevation gain`].filter(
      Boolean,
    )
    out.push(`<p>${e(v.activity.label)}${figs.length ? `: ${e(figs.join(', '))}` : ''}</p>`)
  }
  for (const p of v.paragraphs) out.push(`<p>${linkify(p).replace(/\n/g, '<br>')}</p>`)
  for (const img of v.images) out.push(`<p><img src="${e(absolute(site, img.src))}" alt="${e(img.alt)}"></p>`)
  for (const f of v.files) out.push(`<p>${a(absolute(site, f.href), f.name)}</p>`)
  return out.join('\n')
}

/** Plain text of a post for JSON Feed's content_text and ActivityStreams summaries. */
export function feedText(v: PostView): string {
  const lines: string[] = []
  if (v.replyTo) lines.push(v.replyTo.label)
  if (v.likeOf) lines.push(v.likeOf.label)
  if (v.link) lines.push(`${v.link.title} ${v.link.text}`.trim())
  if (v.event)
    lines.push([v.event.name, v.event.start.date, v.event.start.time, v.event.start.zone, v.event.location].filter(Boolean).join(' · '))
  if (v.location) lines.push([v.location.place, v.location.coordinates].filter(Boolean).join(' · '))
  if (v.activity) lines.push([v.activity.label, v.activity.distance, v.activity.duration, v.activity.elevation].filter(Boolean).join(' · '))
  lines.push(...v.paragraphs)
  return lines.join('\n\n')
}
