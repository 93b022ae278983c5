// The published schemas work with any JSON Schema validator: only the interoperable regex subset, and a second,
// independent validator (@cfworker/json-schema) agrees with PeerFeed's (ajv) on every example and invalid post.
import fs from 'node:fs/promises'
import path from 'node:path'
import { Validator, type Schema } from '@cfworker/json-schema'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import YAML from 'yaml'
import { parsePost } from '../../src/posts/parse-post.ts'
import { readSchemas, validatorFor } from '../../src/schemas/index.ts'
import { isPostType } from '../../src/schemas/registry.ts'
import { REPO } from '../helpers/index.ts'

const test = suite('schemas: any validator')
const schemas = readSchemas()

/** A second validator per type, made only from the schema files. */
const other = new Map(
  schemas
    .filter((s) => s.name !== 'base')
    .map(({ name, schema }) => {
      const v = new Validator(schema as Schema, '2020-12', false)
      for (const s of schemas) v.addSchema(s.schema as Schema)
      return [name, v]
    }),
)

const byAjv = (post: Record<string, unknown>) => isPostType(post.type) && validatorFor(post.type)!(post) === true
const byOther = (post: Record<string, unknown>) => isPostType(post.type) && other.get(post.type)!.validate(post).valid

/** Every pattern (and patternProperties key) in a schema, with where it is. */
function patterns(node: unknown, at = '#'): [string, string][] {
  if (!node || typeof node !== 'object') return []
  const out: [string, string][] = []
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && typeof v === 'string') out.push([`${at}/pattern`, v])
    if (k === 'patternProperties' && v && typeof v === 'object') for (const p of Object.keys(v)) out.push([`${at}/patternProperties`, p])
    out.push(...patterns(v, `${at}/${k}`))
  }
  return out
}

test('every pattern keeps to the regex subset JSON Schema recommends for interoperability', () => {
  let n = 0
  for (const { name, schema } of schemas) {
    for (const [where, p] of patterns(schema)) {
      n++
      // no Unicode property classes, no shorthand classes (their meaning differs by engine), no look-around,
      // no back-references, no \u escapes (some engines lack them: write the character itself)
      assert.not.match(p, /\\[pPdDwWsSbBu]|\(\?|\\[1-9]/, `${name} ${where}: ${p}`)
      assert.not.throws(() => new RegExp(p), `${name} ${where}`)
      assert.not.throws(() => new RegExp(p, 'u'), `${name} ${where}`)
    }
  }
  assert.ok(n >= 8, `found only ${n} patterns`)
})

/** Example posts: YAML files shipped in the repository and the examples in docs/post-format.md. */
async function examples(): Promise<[string, Record<string, unknown>][]> {
  const out: [string, Record<string, unknown>][] = []
  const take = (where: string, text: string) => {
    const v = YAML.parse(text) as Record<string, unknown> | null
    if (v && typeof v === 'object' && isPostType(v.type)) out.push([where, v])
  }
  for (const dir of ['feed', 'docs', 'templates']) {
    const files = await fs.readdir(path.join(REPO, dir), { recursive: true }).catch(() => [] as string[])
    for (const f of files.map(String).filter((f) => f.endsWith('.yaml')))
      take(`${dir}/${f}`, await fs.readFile(path.join(REPO, dir, f), 'utf8'))
  }
  const doc = await fs.readFile(path.join(REPO, 'docs/post-format.md'), 'utf8')
  for (const [i, m] of [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) take(`docs/post-format.md example ${i + 1}`, m[1])
  return out
}

test('both validators accept every example post', async () => {
  const all = await examples()
  assert.ok(all.length >= 8, `found only ${all.length} examples`)
  for (const [where, post] of all) {
    assert.ok(byAjv(post), `ajv refuses ${where}`)
    const r = other.get(post.type as string)!.validate(post)
    assert.ok(r.valid, `@cfworker/json-schema refuses ${where}: ${JSON.stringify(r.errors.slice(-2))}`)
  }
})

const ok = { type: 'status', published: '2026-11-24T09:30:00Z', text: 'hi' }
const INVALID: [string, Record<string, unknown>][] = [
  ['no published', { type: 'status', text: 'hi' }],
  ['a space for T', { ...ok, published: '2026-11-24 09:30:00Z' }],
  ['a lower-case t', { ...ok, published: '2026-11-24t09:30:00Z' }],
  ['no time zone', { ...ok, published: '2026-11-24T09:30:00' }],
  ['no seconds', { ...ok, published: '2026-11-24T09:30Z' }],
  ['a date only', { ...ok, published: '2026-11-24' }],
  ['a bad updated', { ...ok, updated: '2026-11-25 10:00:00Z' }],
  ['an unknown field', { ...ok, colour: 'red' }],
  ['empty text', { ...ok, text: '' }],
  ['a tag with a space', { ...ok, tags: ['a b'] }],
  ['a tag with #', { ...ok, tags: ['#snow'] }],
  ['a tag with a comma', { ...ok, tags: ['a,b'] }],
  ['a tag with an ideographic full stop', { ...ok, tags: ['雪。'] }],
  ['a tag with a no-break space', { ...ok, tags: ['a\u00a0b'] }],
  ['a tag of 65 characters', { ...ok, tags: ['x'.repeat(65)] }],
  ['an empty tag', { ...ok, tags: [''] }],
  ['a bad petname in to', { ...ok, to: ['Family'] }],
  ['an attachment path with ..', { type: 'image', published: ok.published, attachments: [{ path: '../secret.png', alt: 'x' }] }],
  ['an absolute attachment path', { type: 'image', published: ok.published, attachments: [{ path: '/etc/passwd', alt: 'x' }] }],
  ['an attachment path ending in ..', { type: 'image', published: ok.published, attachments: [{ path: 'a/..', alt: 'x' }] }],
  ['an attachment path with a backslash', { type: 'image', published: ok.published, attachments: [{ path: 'a\\b.png', alt: 'x' }] }],
  ['an empty path segment', { type: 'image', published: ok.published, attachments: [{ path: 'a//b.png', alt: 'x' }] }],
  ['a bad sha256', { type: 'image', published: ok.published, attachments: [{ path: 'a.png', alt: 'x', sha256: 'nothex' }] }],
  ['a duration of just P', { type: 'activity', published: ok.published, activity: 'run', duration: 'P' }],
  ['a duration with a bare T', { type: 'activity', published: ok.published, activity: 'run', duration: 'PT' }],
  ['a duration with a Unicode digit', { type: 'activity', published: ok.published, activity: 'run', duration: 'PT\u0664M' }],
  ['a duration out of order', { type: 'activity', published: ok.published, activity: 'run', duration: 'PT5S4M' }],
  ['an event start with a space', { type: 'event', published: ok.published, name: 'x', start: '2026-12-12 18:00:00+01:00' }],
  ['a link without http', { type: 'link', published: ok.published, url: 'ftp://example.org/' }],
  ['a latitude of 91', { type: 'location', published: ok.published, lat: 91, lon: 0 }],
  ['a like without object', { type: 'like', published: ok.published }],
]

const VALID: [string, Record<string, unknown>][] = [
  ['tags in many scripts', { ...ok, tags: ['snow', 'Schnee', 'neige_2026', 'зима', '雪', 'ثلج', 'éte-été', '१२३'] }],
  ['a zone offset and fraction', { ...ok, published: '2026-11-24T09:30:00.250+05:30' }],
  ['a nested attachment path', { type: 'image', published: ok.published, attachments: [{ path: 'pics/.a/b...png', alt: 'x' }] }],
  ['durations', { type: 'activity', published: ok.published, activity: 'run', duration: 'P1DT2H3M4.5S' }],
  ['a days-only duration', { type: 'activity', published: ok.published, activity: 'hike', duration: 'P2D' }],
  ['a seconds-only duration', { type: 'activity', published: ok.published, activity: 'swim', duration: 'PT90S' }],
]

test('both validators refuse every invalid post, and accept the valid edge cases', () => {
  for (const [what, post] of INVALID) {
    assert.not.ok(byAjv(post), `ajv accepts ${what}`)
    assert.not.ok(byOther(post), `@cfworker/json-schema accepts ${what}`)
  }
  for (const [what, post] of VALID) {
    assert.ok(byAjv(post), `ajv refuses ${what}`)
    assert.ok(
      byOther(post),
      `@cfworker/json-schema refuses ${what}: ${JSON.stringify(
        other
          .get(post.type as string)!
          .validate(post)
          .errors.slice(-2),
      )}`,
    )
  }
})

test('PeerFeed writes dates quoted, so YAML 1.1 readers keep them as strings', async () => {
  const { serializePost } = await import('../../src/posts/write-post.ts')
  const text = serializePost({
    type: 'event',
    published: '2026-11-24T09:30:00Z',
    updated: '2026-11-24T10:00:00Z',
    name: 'x',
    start: '2026-12-12T18:00:00+01:00',
    end: '2026-12-12T23:00:00+01:00',
  })
  for (const k of ['published', 'updated', 'start', 'end']) assert.match(text, new RegExp(`^${k}: "[^"]+"$`, 'm'))
  // a YAML 1.1 schema (what PyYAML implements) reads them as strings too
  const v = YAML.parse(text, { version: '1.1' }) as Record<string, unknown>
  for (const k of ['published', 'updated', 'start', 'end']) assert.type(v[k], 'string')
  assert.equal(parsePost(text, 'e.yaml').problems, [])
})

test.run()
