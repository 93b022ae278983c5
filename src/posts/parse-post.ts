// Parses one post file's text and validates it against its type's schema. Pure: text in, post data and problems out.
import { Composer, isMap, isPair, isScalar, LineCounter, parseDocument, visit, YAMLParseError, type Document } from 'yaml'
import type { Problem } from '../errors.ts'
import { yamlHint } from '../yaml-hint.ts'
import { isPostType, POST_TYPES } from '../schemas/registry.ts'
import { validatorFor, type ErrorObject } from '../schemas/index.ts'
import { readSimpleYaml } from './simple-yaml.ts'
import type { PostData } from './types.ts'
import { lexPost, MAX_DEPTH, MAX_FIELD_CHARS } from './limits.ts'

export interface Parsed {
  data?: PostData
  problems: Problem[]
}

export function parsePost(text: string, file: string): Parsed {
  const fast = fastPath(text)
  return fast ? { data: fast, problems: [] } : parseWithYaml(text, file)
}

/** The full path: `yaml`'s document model, so every problem has its line and column. */
export function parseWithYaml(text: string, file: string): Parsed {
  const lineCounter = new LineCounter()
  const at = (offset: number | undefined, message: string): Problem => {
    if (offset === undefined) return { file, message }
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, col, message }
  }
  // depth is measured on the parser's tokens, before the (recursive) composer could overflow the stack
  const lexed = lexPost(text, lineCounter.addNewLine)
  if (lexed.depth > MAX_DEPTH) {
    return { problems: [at(lexed.at, `nested ${lexed.depth} levels deep; a post may nest lists and mappings at most ${MAX_DEPTH} levels`)] }
  }
  const doc = composeOne(lexed.tokens, text.length)
  if (doc.errors.length) {
    const seen = new Set<number>()
    const problems: Problem[] = []
    for (const e of doc.errors) {
      const p = at(e.pos[0], `YAML syntax error: ${firstLine(e.message)}`)
      const hint = p.line === undefined ? undefined : yamlHint(text, e.code, p.line)
      if (hint) {
        if (seen.has(p.line!)) continue // one hint per line is enough
        seen.add(p.line!)
        problems.push({ ...p, message: `YAML syntax error: ${hint}` })
      } else problems.push(p)
    }
    return { problems }
  }
  const aliases: Problem[] = []
  visit(doc, {
    Alias(_, node) {
      aliases.push(at(node.range?.[0], `YAML alias '*${node.source}': aliases are not allowed in a post; write the value out in full`))
    },
  })
  if (aliases.length) return { problems: aliases }
  const value = doc.toJS() as unknown
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [at(0, 'a post must be a YAML mapping of fields, starting with `type:` and `published:`')] }
  }
  const data = value as Record<string, unknown>
  if (data.type === undefined) return { problems: [at(0, `missing field 'type' (one of: ${POST_TYPES.join(', ')})`)] }
  const type: unknown = data.type
  if (!isPostType(type)) {
    return { problems: [at(nodeOffset(doc, ['type']), `unknown post type '${String(type)}' (known types: ${POST_TYPES.join(', ')})`)] }
  }
  const validate = validatorFor(type)!
  const problems: Problem[] = []
  for (const [key, size] of oversizedFields(data)) {
    problems.push(
      at(
        nodeOffset(doc, [key], true),
        `'${key}' holds ${size.toLocaleString('en')} characters; an x- field may hold at most ${MAX_FIELD_CHARS.toLocaleString('en')} (as JSON) — put big data in an attachment`,
      ),
    )
  }
  if (problems.length) return { problems }
  if (!validate(data)) {
    for (const err of dedupe(validate.errors ?? [])) {
      const { path, message, key } = explain(err, type)
      problems.push(at(nodeOffset(doc, path, key), message))
    }
  }
  problems.push(...semanticChecks(data as unknown as PostData).map(([path, message]) => at(nodeOffset(doc, path), message)))
  if (problems.length) return { problems }
  const post = data as unknown as PostData
  if (typeof post.to === 'string') post.to = [post.to]
  return { data: post, problems }
}

/** A valid post in the plain subset of YAML, read without `yaml`'s document model; anything else → undefined. */
function fastPath(text: string): PostData | undefined {
  const data = readSimpleYaml(text)
  if (!data || !isPostType(data.type) || oversizedFields(data).length) return undefined
  if (!validatorFor(data.type)!(data) || semanticChecks(data as unknown as PostData).length) return undefined
  const post = data as unknown as PostData
  if (typeof post.to === 'string') post.to = [post.to]
  return post
}

/** `x-` fields over MAX_FIELD_CHARS (as JSON), with their sizes. */
function oversizedFields(data: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = []
  for (const [key, v] of Object.entries(data)) {
    if (!key.startsWith('x-')) continue
    const size = JSON.stringify(v ?? null).length
    if (size > MAX_FIELD_CHARS) out.push([key, size])
  }
  return out
}

/** One YAML document from parser tokens (what parseDocument does, after our depth check); a second document is an error. */
function composeOne(tokens: ReturnType<typeof lexPost>['tokens'], length: number): Document {
  let doc: Document | undefined
  for (const d of new Composer({ uniqueKeys: true }).compose(tokens, true, length)) {
    if (!doc) doc = d as Document
    else {
      doc.errors.push(...(d as Document).errors)
      doc.errors.push(
        new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'a post file holds one YAML document; remove the second `---`'),
      )
      break
    }
  }
  return doc!
}

/** The line and column of the value at `path` in a post's text (for problems found after parsing). */
export function positionOf(text: string, path: (string | number)[]): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  const offset = nodeOffset(doc, path)
  return offset === undefined ? undefined : lineCounter.linePos(offset)
}

/** Rules a schema cannot say: dates in the right order. */
export function semanticChecks(p: PostData): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = []
  if (p.updated && Date.parse(p.updated) < Date.parse(p.published)) {
    out.push([['updated'], `'updated' (${p.updated}) is before 'published' (${p.published}); an edit cannot predate the post`])
  }
  if (p.type === 'event' && p.start && p.end && Date.parse(p.end) < Date.parse(p.start)) {
    out.push([['end'], `'end' (${p.end}) is before 'start' (${p.start}); fix one of the two dates`])
  }
  return out
}

const firstLine = (s: string) => s.split('\n')[0]

const fieldName = (path: (string | number)[]) =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '')

/** Turns an ajv error into a field path and a sentence a person can act on. */
function explain(err: ErrorObject, type: string): { path: (string | number)[]; message: string; key?: boolean } {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')))
  const field = fieldName(path)
  const desc = (err.parentSchema as { description?: string } | undefined)?.description
  const hint = desc ? ` (${desc})` : ''
  const p = err.params as Record<string, unknown>
  switch (err.keyword) {
    case 'required':
      return { path, message: `missing field '${field ? `${field}.` : ''}${p.missingProperty}', which ${article(type)} post needs` }
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const name = String(p.unevaluatedProperty ?? p.additionalProperty)
      return {
        path: [...path, name],
        key: true,
        message: `unknown field '${field ? `${field}.` : ''}${name}' in ${article(type)} post; check its spelling, or prefix extensions with x-`,
      }
    }
    case 'type':
      return { path, message: `'${field}' must be ${article(String(p.type))}${hint}` }
    case 'format':
      return { path, message: p.format === 'date-time' ? dateMessage(field) : `'${field}' is not a valid ${p.format}${hint}` }
    case 'pattern':
      if ((err.parentSchema as { format?: string } | undefined)?.format === 'date-time') return { path, message: dateMessage(field) }
      return { path, message: `'${field}' is not in the right form${hint}` }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `'${field}' must be ${err.message?.replace(/^must be /, '')}${hint}` }
    case 'minItems':
      return { path, message: `'${field}' needs at least ${p.limit} item${p.limit === 1 ? '' : 's'}${hint}` }
    case 'minLength':
      return { path, message: `'${field}' must not be empty` }
    case 'maxLength':
      return { path, message: `'${field}' is too long (at most ${p.limit} characters)` }
    case 'uniqueItems':
      return { path, message: `'${field}' lists the same value twice` }
    case 'const':
      return { path, message: `'${field}' must be ${JSON.stringify(p.allowedValue)}` }
    default:
      return { path, message: `'${field || 'post'}' ${err.message ?? 'is invalid'}${hint}` }
  }
}

const dateMessage = (field: string) =>
  `'${field}' is not a valid date and time; write it like 2026-11-24T09:30:00Z (a capital T between date and time, and a time zone: Z or +01:00)`

const article = (t: string) => (t.includes(',') ? `one of ${t}` : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)

/**
 * ajv reports both branches of a string-or-list field; keep one error per field and keyword. A date that fails
 * both its format and its pattern is one problem.
 */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>()
  const badDates = new Set(errors.filter((e) => e.keyword === 'format').map((e) => e.instancePath))
  return errors.filter((e) => {
    if (e.keyword === 'pattern' && badDates.has(e.instancePath)) return false
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The source offset of the node at `path`; for a missing field, its parent; for a key, the key itself. */
function nodeOffset(doc: Document, path: (string | number)[], key = false): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1))
    const parent = n === 0 ? doc.contents : doc.getIn(parentPath, true)
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === path[n - 1])
      if (pair && isPair(pair)) {
        const v = pair.value as { range?: [number, number, number] } | null
        const k = pair.key as { range?: [number, number, number] }
        return n === path.length && !key ? (v?.range?.[0] ?? k.range?.[0]) : k.range?.[0]
      }
    } else if (n > 0) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node?.range) return node.range[0]
    } else {
      return (doc.contents as { range?: [number, number, number] } | null)?.range?.[0]
    }
  }
  return undefined
}
