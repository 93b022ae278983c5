// The happy path of reading a post: a small reader for the plain subset of YAML that post files use (top-level
// `key: value`, one-line scalars and flow lists, `|` blocks, a list of flat maps), about ten times faster than
// building `yaml`'s document model. It returns undefined for anything outside that subset, and the caller then
// parses with `yaml`, which decides and explains (file:line:col). Scalars resolve exactly as in `yaml`'s YAML 1.2
// core schema; test/posts/simple-yaml.test.ts checks both agree on every example, generated and fuzzed post.

type Value = string | number | boolean | null | Value[] | { [k: string]: Value }

const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?: +(.*))?$/
const NOT_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/
// yaml's core schema tests, in its order: null, bool, int (octal, decimal, hex), float (nan/inf, exponent, plain)
const NULL = /^(?:~|[Nn]ull|NULL)?$/
const TRUE = /^(?:[Tt]rue|TRUE)$/
const FALSE = /^(?:[Ff]alse|FALSE)$/
const OCT = /^0o[0-7]+$/
const INT = /^[-+]?[0-9]+$/
const HEX = /^0x[0-9a-fA-F]+$/
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/
// a plain scalar may not start with an indicator; '-', '?' and ':' only when followed by a space or the end
const BAD_START = /^(?:[&*!|>%@`{}#,[\]'"]|[-?:](?: |$))/
const JSON_ESCAPES = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported()
}

/** The post's value, or undefined when the text is outside the subset (then `yaml` must read it). */
export function readSimpleYaml(text: string): Record<string, Value> | undefined {
  // tabs, CR, BOM and other control characters are where readers differ: leave them to `yaml`
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text)) return undefined
  try {
    return readDocument(text.split('\n'))
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}

function readDocument(lines: string[]): Record<string, Value> {
  const out: Record<string, Value> = {}
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    if (isBlankOrComment(line)) {
      i++
      continue
    }
    const m = KEY.exec(line)
    if (!m) no()
    const key = m![1]
    if (NOT_STRING_KEY.test(key) || Object.hasOwn(out, key)) no()
    const rest = m![2] ?? ''
    i++
    if (rest === '|' || rest === '|-') {
      const [value, next] = literalBlock(lines, i, rest)
      out[key] = value
      i = next
    } else if (rest === '' || rest.startsWith('#')) {
      const [value, next] = nestedBlock(lines, i)
      out[key] = value
      i = next
    } else {
      out[key] = inlineValue(rest)
    }
  }
  return out
}

const isBlankOrComment = (line: string) => /^ *(?:#.*)?$/.test(line)
// YAML's white space is the space (tabs were refused); JavaScript's trim() would also take U+00A0 and others
const indentOf = (line: string) => /^ */.exec(line)![0].length
const isSpaces = (s: string) => /^ *$/.test(s)
const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '')

/** `key:` followed by nothing, or by an indented list (of scalars or flat maps) or an indented flat map. */
function nestedBlock(lines: string[], start: number): [Value, number] {
  let i = start
  while (i < lines.length && isBlankOrComment(lines[i])) i++
  if (i >= lines.length || indentOf(lines[i]) === 0) return [null, start]
  const n = indentOf(lines[i])
  if (lines[i].startsWith('- ', n)) {
    const list: Value[] = []
    while (i < lines.length) {
      const line = lines[i]
      if (isBlankOrComment(line)) {
        i++
        continue
      }
      const ind = indentOf(line)
      if (ind === 0) break
      if (ind !== n || !line.startsWith('- ', n)) no()
      const item = line.slice(n + 2)
      if (item.startsWith(' ')) no()
      i++
      if (KEY.test(item)) {
        const map: Record<string, Value> = {}
        addPair(map, item)
        while (i < lines.length) {
          const l = lines[i]
          if (isBlankOrComment(l)) {
            i++
            continue
          }
          const ind2 = indentOf(l)
          if (ind2 <= n) break
          if (ind2 !== n + 2) no()
          addPair(map, l.slice(n + 2))
          i++
        }
        list.push(map)
      } else {
        list.push(inlineValue(item))
      }
    }
    return [list, i]
  }
  const map: Record<string, Value> = {}
  while (i < lines.length) {
    const line = lines[i]
    if (isBlankOrComment(line)) {
      i++
      continue
    }
    const ind = indentOf(line)
    if (ind === 0) break
    if (ind !== n) no()
    addPair(map, line.slice(n))
    i++
  }
  return [map, i]
}

function addPair(map: Record<string, Value>, text: string): void {
  const m = KEY.exec(text)
  if (!m || NOT_STRING_KEY.test(m[1]) || Object.hasOwn(map, m[1])) no()
  const rest = m![2] ?? ''
  if (rest === '' || rest.startsWith('#') || rest.startsWith('|')) no()
  map[m![1]] = inlineValue(rest)
}

/** A `|` or `|-` block: lines indented more than the key, kept as they are. */
function literalBlock(lines: string[], start: number, header: string): [string, number] {
  let i = start
  let n = 0
  let maxLeadingBlank = 0
  for (; i < lines.length; i++) {
    if (isSpaces(lines[i])) {
      maxLeadingBlank = Math.max(maxLeadingBlank, lines[i].length)
      continue
    }
    n = indentOf(lines[i])
    break
  }
  if (n === 0 || maxLeadingBlank > n) no()
  const body: string[] = []
  for (i = start; i < lines.length; i++) {
    const line = lines[i]
    if (isSpaces(line)) {
      if (line.length > n) no()
      body.push('')
    } else if (indentOf(line) >= n) body.push(line.slice(n))
    else break
  }
  // the last line of a file ending in a newline is '' and not part of the block
  let end = body.length
  while (end > 0 && body[end - 1] === '') end--
  // at the end of a file without a final newline the last line has no line break to keep
  if (end === 0 || (start + body.length >= lines.length && end === body.length)) no()
  const content = body.slice(0, end).join('\n')
  return [header === '|-' ? content : `${content}\n`, start + body.length]
}

/** One-line value: a quoted string, a flow list of scalars, or a plain scalar (with an optional ` # comment`). */
function inlineValue(raw: string): Value {
  const c = raw[0]
  if (c === '"' || c === "'") {
    const [s, end] = quoted(raw, 0)
    afterValue(raw, end)
    return s
  }
  if (c === '[') {
    const close = raw.indexOf(']')
    if (close < 0) no()
    afterValue(raw, close + 1)
    const inner = raw.slice(1, close)
    // nested collections, and runs of spaces (which `yaml` keeps in part), go to `yaml`
    if (/[[{}]| {2}/.test(inner)) no()
    if (isSpaces(inner)) return []
    const items: Value[] = []
    let pos = 0
    for (;;) {
      while (inner[pos] === ' ') pos++
      if (inner[pos] === '"' || inner[pos] === "'") {
        const [s, end] = quoted(inner, pos)
        items.push(s)
        pos = end
        while (inner[pos] === ' ') pos++
      } else {
        const comma = inner.indexOf(',', pos)
        const item = trimSpaces(comma < 0 ? inner.slice(pos) : inner.slice(pos, comma))
        if (item === '' || /[:#]/.test(item) || BAD_START.test(item)) no()
        items.push(scalar(item))
        pos = comma < 0 ? inner.length : comma
      }
      if (pos >= inner.length) break
      if (inner[pos] !== ',') no()
      pos++
      if (isSpaces(inner.slice(pos))) no()
    }
    return items
  }
  if (BAD_START.test(raw)) no()
  const hash = raw.indexOf(' #')
  const text = hash < 0 ? raw : raw.slice(0, hash)
  // trailing spaces: `yaml` keeps them in some plain scalars, so such lines go to it
  if (text.includes(': ') || text.endsWith(':') || text === '' || text.endsWith(' ')) no()
  return scalar(text)
}

/** Only spaces and an optional comment may follow a value. */
function afterValue(raw: string, end: number): void {
  const tail = raw.slice(end)
  if (!isSpaces(tail) && !/^ +#/.test(tail)) no()
}

/** A one-line quoted string at `raw[start]`: its value and the index after the closing quote. */
function quoted(raw: string, start: number): [string, number] {
  const q = raw[start]
  if (q === "'") {
    let i = start + 1
    let s = ''
    for (;;) {
      const j = raw.indexOf("'", i)
      if (j < 0) no()
      s += raw.slice(i, j)
      if (raw[j + 1] === "'") {
        s += "'"
        i = j + 2
      } else return [s, j + 1]
    }
  }
  let j = start + 1
  for (;;) {
    j = raw.indexOf('"', j)
    if (j < 0) no()
    let bs = 0
    while (raw[j - 1 - bs] === '\\') bs++
    if (bs % 2 === 0) break
    j++
  }
  const body = raw.slice(start + 1, j)
  // JSON's escapes mean the same in YAML; YAML's others (\x, \0, \e, \N, …) go to `yaml`
  if (JSON_ESCAPES.test(body)) no()
  return [JSON.parse(`"${body}"`) as string, j + 1]
}

/** A plain scalar resolved as `yaml` does with its YAML 1.2 core schema. */
function scalar(s: string): Value {
  if (NULL.test(s)) return null
  if (TRUE.test(s)) return true
  if (FALSE.test(s)) return false
  if (OCT.test(s)) return parseInt(s.slice(2), 8)
  if (INT.test(s)) return parseInt(s, 10)
  if (HEX.test(s)) return parseInt(s.slice(2), 16)
  if (NAN_INF.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s)
  return s
}
