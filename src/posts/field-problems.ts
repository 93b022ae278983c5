// A new post's problems by field, for forms that show each one beside its input. Same checks as writing the file.
import { parsePost } from './parse-post.ts'
import { serializePost } from './write-post.ts'

/** field → what is wrong with it, in plain words; empty when the post is valid. */
export function fieldProblems(data: Record<string, unknown>): Record<string, string> {
  const complete = { published: '2000-01-01T00:00:00Z', ...data }
  const text = serializePost(complete)
  const { problems } = parsePost(text, 'post')
  const lines = text.split('\n')
  const out: Record<string, string> = {}
  for (const p of problems) {
    // the top-level key at or above the problem's line names the field
    let field = 'post'
    for (let l = (p.line ?? 1) - 1; l >= 0; l--) {
      const m = /^([A-Za-z][\w-]*):/.exec(lines[l] ?? '')
      if (m) {
        field = m[1]
        break
      }
    }
    const missing =
      /missing (?:the )?(?:required )?field '?(\w+)'?/i.exec(p.message) ?? /must have (?:required property )?'(\w+)'/.exec(p.message)
    if (missing) field = missing[1]
    out[field] ??= p.message
  }
  return out
}
