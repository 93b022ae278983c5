// Post ids: `<author fingerprint>/<file stem>`, stable across edits (the file keeps its name) and unique across authors.
export const ID_PATTERN = /^([0-9a-f]{40}|self)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/

export const postId = (fingerprint: string, stem: string) => `${fingerprint.toLowerCase()}/${stem}`

export function splitId(id: string): { author: string; stem: string } | undefined {
  const m = ID_PATTERN.exec(id)
  return m ? { author: m[1], stem: m[2] } : undefined
}

/** A file stem from a UTC time and a slug: `2026-11-24T09-30-00Z-first-snow`. */
export function stemFor(date: Date, words: string): string {
  const stamp = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')
  const s = slug(words)
  return s ? `${stamp}-${s}` : stamp
}

export function slug(words: string, max = 40): string {
  const s = words
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/https?:\/\//g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return s.length <= max ? s : s.slice(0, max).replace(/-[^-]*$/, '') || s.slice(0, max)
}
