// Canonical JSON (RFC 8785 style: keys sorted, no spaces, ECMAScript number form) and its SHA-256, so any
// language can recompute the hash of an entry and check it against a signed manifest.
import crypto from 'node:crypto'

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`
}

export const sha256Hex = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex')

export const entryHash = (entry: unknown) => sha256Hex(canonicalJson(entry))
