// Small DOM and text helpers: build elements without innerHTML, turn URLs and #tags into links, show times.

/** el('a', {href: '/x', class: 'y'}, 'text', child) — attributes starting with 'on' become listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v)
    else if (k === 'class') node.className = v
    else if (k === 'dataset') Object.assign(node.dataset, v)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c))
  return node
}

const URL_OR_TAG = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])|(^|[\s(])#([\p{L}\p{N}_-]{1,64})/gu

/** Text with links: http(s) URLs open in a new tab, #tags search the timeline. Never parses markup. */
export function richText(text) {
  const out = []
  for (const para of String(text).split(/\n{2,}/)) {
    const p = el('p')
    const lines = para.split('\n')
    lines.forEach((line, i) => {
      let last = 0
      for (const m of line.matchAll(URL_OR_TAG)) {
        if (m[1]) {
          p.append(line.slice(last, m.index), el('a', { href: m[1], rel: 'noopener noreferrer nofollow', target: '_blank' }, m[1]))
          last = m.index + m[0].length
        } else {
          const start = m.index + m[2].length
          p.append(line.slice(last, start), el('a', { href: `/search?q=${encodeURIComponent(`#${m[3]}`)}`, class: 'tag' }, `#${m[3]}`))
          last = start + 1 + m[3].length
        }
      }
      p.append(line.slice(last))
      if (i < lines.length - 1) p.append(el('br'))
    })
    out.push(p)
  }
  return out
}

const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })
const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const yearFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' })

export const fullDate = (iso) => fullFmt.format(new Date(iso))

/** "now", "5 min", "3 h", "2 d" for the last week; a date after that. */
export function shortWhen(iso, now = Date.now()) {
  const t = Date.parse(iso)
  const s = Math.round((now - t) / 1000)
  if (s < 45 && s > -60) return 'now'
  if (s >= 0 && s < 3600) return `${Math.max(1, Math.round(s / 60))} min`
  if (s >= 0 && s < 86400) return `${Math.round(s / 3600)} h`
  if (s >= 0 && s < 7 * 86400) return `${Math.round(s / 86400)} d`
  return new Date(t).getFullYear() === new Date(now).getFullYear() ? dayFmt.format(t) : yearFmt.format(t)
}

/** PT1H5M30S → "1 h 5 min 30 s" */
export function readableDuration(d) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(d ?? '')
  if (!m) return d ?? ''
  const [, days, h, min, s] = m
  return [days && `${days} d`, h && `${h} h`, min && `${min} min`, s && `${s} s`].filter(Boolean).join(' ')
}

export const postPath = (id) => `/post/${id.split('/').map(encodeURIComponent).join('/')}`

/** Keeps relative times fresh without re-rendering anything else. */
export function tickTimes(root = document) {
  for (const t of root.querySelectorAll('time[data-relative]')) t.textContent = shortWhen(t.dateTime)
}
