// How deep a parsed JSON value nests, measured without recursion, so a hostile value cannot overflow the stack
// of whoever measures it (canonical JSON, schema validation and YAML output all recurse).
import { MAX_DEPTH } from '../posts/limits.ts'

/** True when `value` nests deeper than `max` arrays/objects (a scalar is depth 0). Stops early. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1])
    }
  }
  return false
}

/**
 * An entry (cursor, id, post, files) nests at most this deep: a post as deep as `peerfeed check` allows
 * (MAX_DEPTH, 32) plus the entry around it and one level of slack. Friends' entries beyond it are rejected.
 */
export const MAX_ENTRY_DEPTH = MAX_DEPTH + 2
