// Pure formatting for people: dates, durations, distances, coordinates, fingerprints. No locale or timezone lookups,
// so the same posts give byte-identical pages on every machine.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export const monthName = (m: number) => MONTHS[m - 1] ?? String(m)
const pad = (n: number) => String(n).padStart(2, '0')

/** An instant as RFC 3339 UTC without milliseconds, or undefined when it does not parse. */
export function toUtcIso(s: string | undefined): string | undefined {
  if (!s) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace('.000Z', 'Z')
}

/** `24 November 2026, 09:30 UTC` — post times are instants, shown in UTC. */
export function humanInstant(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const d = new Date(t)
  return `${d.getUTCDate()} ${monthName(d.getUTCMonth() + 1)} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
}

export interface WallTime {
  iso: string
  date: string
  time?: string
  zone?: string
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * An event time as the author wrote it: `Tue 1 December 2026`, `19:00`, `+01:00`. Not converted to UTC, because
 * "the concert starts at 19:00" must read 19:00 wherever the site is built or viewed.
 */
export function wallTime(s: string): WallTime {
  const m = WALL.exec(s.trim())
  if (!m) return { iso: s, date: s }
  const [, y, mo, d, h, mi, , z] = m
  const weekday = DAYS[new Date(Date.UTC(+y!, +mo! - 1, +d!)).getUTCDay()]
  return {
    iso: s,
    date: `${weekday} ${+d!} ${monthName(+mo!)} ${y}`,
    time: h ? `${h}:${mi}` : undefined,
    zone: z === undefined ? undefined : z === 'Z' ? 'UTC' : z,
  }
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/** `PT1H5M30S` → `1 h 5 min 30 s`; anything unparsable is shown as written. */
export function humanDuration(s: string): string {
  const m = DURATION.exec(s)
  if (!m || s === 'P' || s.endsWith('T')) return s
  const units = ['y', 'mo', 'wk', 'd', 'h', 'min', 's']
  const parts = m
    .slice(1)
    .map((v, i) => (v && Number(v) > 0 ? `${Number(v)} ${units[i]}` : ''))
    .filter(Boolean)
  return parts.length ? parts.join(' ') : '0 min'
}

/** A number with at most `digits` decimals and no trailing zeros: 10.50 → `10.5`. */
export function trimNumber(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)))
}

export function humanCoordinates(lat: number, lon: number): string {
  const ns = lat >= 0 ? 'N' : 'S'
  const ew = lon >= 0 ? 'E' : 'W'
  return `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lon).toFixed(5)}° ${ew}`
}

/** An OpenPGP fingerprint in groups of four, upper case, as people compare them aloud. */
export function groupFingerprint(fpr: string): string {
  return fpr
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ')
}

/** The first line of a text, cut at a word near `max` characters: a title for pages and feed entries. */
export function firstLine(text: string | undefined, max = 80): string | undefined {
  // the first non-blank line, without splitting the whole text (planning asks this of every post and its neighbours)
  let line: string | undefined
  for (let start = 0; text !== undefined && start <= text.length && !line; ) {
    const nl = text.indexOf('\n', start)
    const end = nl < 0 ? text.length : nl
    line = text.slice(start, end).trim()
    start = end + 1
  }
  if (!line) return undefined
  if (line.length <= max) return line
  const cut = line.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Text split into paragraphs at blank lines; single line breaks stay inside a paragraph (CSS shows them). */
export function paragraphs(text: string | undefined): string[] {
  if (!text) return []
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
}
