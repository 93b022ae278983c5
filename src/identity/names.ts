// Petnames and group names: one namespace of safe slugs, because a post's `to` mixes both.
import { PeerFeedError } from '../errors.ts'

/** Names a post's `to` or the tool itself already gives a meaning to. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['public', 'self'])

const SLUG = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/

/** Why `name` is not usable as a petname or group name, or undefined when it is fine. */
export function nameProblem(name: string, what: 'petname' | 'group name' = 'petname'): string | undefined {
  if (RESERVED_NAMES.has(name)) return `"${name}" is reserved and cannot be used as a ${what}; pick another, e.g. "${name}-1"`
  if (!SLUG.test(name)) {
    return `invalid ${what} "${name}": use 1–63 lower-case letters, digits, "-" or "_", starting with a letter or digit (e.g. "alice" or "bob-smith")`
  }
  return undefined
}

export function assertName(name: string, what: 'petname' | 'group name' = 'petname'): void {
  const why = nameProblem(name, what)
  if (why) throw new PeerFeedError(what === 'petname' ? 'BAD_PETNAME' : 'BAD_GROUP_NAME', why)
}

/** A fingerprint as typed by a person (spaces, 0x, upper case) → 40 lower-case hex, or undefined. */
export function normalizeFingerprint(s: string): string | undefined {
  const hex = s.replace(/\s+/g, '').replace(/^0x/i, '').toLowerCase()
  return /^[0-9a-f]{40}$/.test(hex) ? hex : undefined
}

/** `ABCD 1234 …`: the grouping people compare aloud. */
export const formatFingerprint = (fp: string) => fp.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ')
