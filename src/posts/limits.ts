// Limits on what one post file may hold, checked before anything big is parsed (docs/post-format.md, "Limits").
import { Parser } from 'yaml'

/** A post file's size in bytes: text is at most 100,000 characters; anything big belongs in an attachment. */
export const MAX_POST_BYTES = 1024 * 1024
/** Nesting of mappings and lists inside a post (the built-in fields need 3). */
export const MAX_DEPTH = 32
/** One `x-` extension field, as JSON. */
export const MAX_FIELD_CHARS = 100_000

type Token = ReturnType<Parser['parse']> extends Generator<infer T> ? T : never

/**
 * Parses `text` into YAML tokens (the parser keeps its own stack, so deep input cannot overflow ours) and returns
 * them with the deepest nesting of collections and the offset where it is reached.
 */
export function lexPost(text: string, onNewLine?: (offset: number) => void): { tokens: Token[]; depth: number; at: number } {
  const tokens = [...new Parser(onNewLine).parse(text)]
  let depth = 0
  let at = 0
  const stack: [unknown, number][] = tokens.map((t) => [t, 0])
  while (stack.length) {
    const [t, d] = stack.pop() as [
      { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] } | null,
      number,
    ]
    if (!t || typeof t !== 'object') continue
    const here = t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection' ? d + 1 : d
    if (here > depth) {
      depth = here
      at = t.offset ?? at
    }
    if (t.type === 'document') stack.push([t.value, here])
    for (const it of t.items ?? []) {
      if (it.key) stack.push([it.key, here])
      if (it.value) stack.push([it.value, here])
    }
  }
  return { tokens, depth, at }
}

export const humanBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`
