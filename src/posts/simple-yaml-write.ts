// The happy path of writing a post: the text `yaml` would write for a post of plain values (one-line strings that
// need no quotes, `|-` blocks, numbers, `to`/`tags` lists, attachments), made directly, fifty times faster than
// building a yaml Document (sync writes thousands of posts). Anything else returns undefined and the caller uses
// `yaml`; test/posts/simple-yaml.test.ts checks the two write the same bytes for every post this accepts.

const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/
const NOT_STRING =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?)$/
// characters `yaml` never leaves plain, or that change meaning at the start of a scalar
const NEEDS_QUOTES = /[^\u0020-\u007e\u00a1-\ud7ff\ue000-\ufefe\uff00-\ufffd]|^[\s\-?:,[\]{}#&*!|>'"%@`.]|\s$|: |:$| #/
const FLOW_UNSAFE = /[,[\]{}]/

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported()
}

/**
 * The YAML text of `data` (keys in their order; `flow` keys as `[ a, b ]`, `quoted` keys' strings in double quotes),
 * or undefined to leave it to `yaml`.
 */
export function writeSimpleYaml(
  data: Record<string, unknown>,
  { flow, quoted }: { flow: ReadonlySet<string>; quoted: ReadonlySet<string> },
): string | undefined {
  try {
    let out = ''
    for (const [k, v] of Object.entries(data)) {
      if (v === undefined) continue
      key(k)
      if (flow.has(k)) out += `${k}: ${flowList(v)}\n`
      else if (k === 'attachments') out += `${k}:\n${attachments(v)}`
      else if (quoted.has(k) && typeof v === 'string') out += `${k}: ${doubleQuoted(v)}\n`
      else if (typeof v === 'string' && v.includes('\n')) out += `${k}: ${block(v)}`
      else out += `${k}: ${scalar(v, false)}\n`
    }
    return out
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}

function key(k: string): void {
  if (!KEY.test(k) || NOT_STRING.test(k)) no()
}

function scalar(v: unknown, inFlow: boolean): string {
  if (typeof v === 'string') {
    if (v === '' || NEEDS_QUOTES.test(v) || NOT_STRING.test(v) || (inFlow && FLOW_UNSAFE.test(v))) no()
    return v
  }
  if (typeof v === 'number') {
    const s = String(v)
    if (!Number.isFinite(v) || Object.is(v, -0) || !/^-?[0-9]+(?:\.[0-9]+)?$/.test(s)) no()
    return s
  }
  if (typeof v === 'boolean') return String(v)
  return no()
}

/** Printable ASCII without quotes or backslashes is written between double quotes as it is. */
function doubleQuoted(v: string): string {
  if (!/^[\u0020-\u007e]*$/.test(v) || /["\\]/.test(v)) no()
  return `"${v}"`
}

function flowList(v: unknown): string {
  if (!Array.isArray(v)) no()
  const items = (v as unknown[]).map((x) => scalar(x, true))
  return items.length ? `[ ${items.join(', ')} ]` : '[]'
}

function attachments(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) no()
  let out = ''
  for (const a of v as unknown[]) {
    if (!a || typeof a !== 'object' || Array.isArray(a)) no()
    const entries = Object.entries(a as Record<string, unknown>).filter(([, x]) => x !== undefined)
    if (entries.length === 0) no()
    entries.forEach(([k, x], i) => {
      key(k)
      out += `${i === 0 ? '  - ' : '    '}${k}: ${scalar(x, false)}\n`
    })
  }
  return out
}

/** A multi-line string as `|-` with each line indented by two spaces (empty lines stay empty). */
function block(v: string): string {
  const lines = v.split('\n')
  if (/^[ \n]|[ \n]$/.test(v)) no()
  for (const l of lines) {
    if (/[^\u0020-\u007e\u00a1-\ud7ff\ue000-\ufefe\uff00-\ufffd]|\s$/.test(l)) no()
  }
  return `|-\n${lines.map((l) => (l === '' ? '\n' : `  ${l}\n`)).join('')}`
}
