// parsePost: every error names its line and column and says what to do, in plain words.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { parsePost } from '../../src/posts/parse-post.ts'
import { POST_TYPES } from '../../src/schemas/registry.ts'

const F = 'feed/2026/11/x.yaml'
const one = (text: string) => {
  const { problems } = parsePost(text, F)
  assert.is(problems.length, 1, JSON.stringify(problems))
  return problems[0]
}

test('accepts a minimal status and normalizes a single `to` into a list', () => {
  const r = parsePost('type: status\npublished: 2026-11-24T09:30:00Z\nto: family\ntext: hi\n', F)
  assert.equal(r.problems, [])
  assert.equal(r.data?.to, ['family'])
})

test('reports a YAML syntax error at its line and column', () => {
  const p = one('type: status\npublished: 2026-11-24T09:30:00Z\ntext: a: b\n')
  assert.is(p.file, F)
  assert.is(p.line, 3)
  assert.ok(p.col! >= 1)
  assert.match(p.message, /YAML syntax error/)
})

test('reports a duplicate key as a YAML error', () => {
  const p = one('type: status\npublished: 2026-11-24T09:30:00Z\ntext: a\ntext: b\n')
  assert.is(p.line, 4)
  assert.match(p.message, /YAML syntax error/)
})

test('names an unknown type and lists the known ones', () => {
  const p = one('type: statuss\npublished: 2026-11-24T09:30:00Z\n')
  assert.is(p.line, 1)
  assert.is(p.col, 7)
  assert.match(p.message, /unknown post type 'statuss'/)
  for (const t of POST_TYPES) assert.ok(p.message.includes(t))
})

test('reports an impossible date in plain words at the value', () => {
  const p = one('type: status\npublished: 2026-02-30T09:30:00Z\ntext: hi\n')
  assert.equal([p.line, p.col], [2, 12])
  assert.match(p.message, /'published' is not a valid date and time; write it like/)
})

test('reports a missing field by name and type', () => {
  const p = one('type: link\npublished: 2026-11-24T09:30:00Z\ntext: hi\n')
  assert.match(p.message, /missing field 'url', which a link post needs/)
  assert.is(p.line, 1)
})

test('reports a misspelled field at its key', () => {
  const p = one('type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\ntxet: oops\n')
  assert.equal([p.line, p.col], [4, 1])
  assert.match(p.message, /unknown field 'txet'/)
})

test('keeps x- extension fields', () => {
  const r = parsePost('type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\nx-mood: happy\n', F)
  assert.equal(r.problems, [])
})

test('reports out-of-range coordinates and wrong types with the field name', () => {
  const { problems } = parsePost('type: location\npublished: 2026-11-24T09:30:00Z\nlat: 91\nlon: east\n', F)
  assert.equal(
    problems.map((p) => p.line),
    [3, 4],
  )
  assert.match(problems[0].message, /'lat' must be <= 90/)
  assert.match(problems[1].message, /'lon' must be a number/)
})

test('reports a nested attachment field with its index', () => {
  const { problems } = parsePost(
    'type: image\npublished: 2026-11-24T09:30:00Z\nattachments:\n  - path: a.png\n    alt: x\n    sha256: nothex\n',
    F,
  )
  assert.is(problems.length, 1)
  assert.is(problems[0].line, 6)
  assert.match(problems[0].message, /'attachments\[0\]\.sha256' is not in the right form \(the SHA-256/)
})

test('refuses an event that ends before it starts, and an edit before the post', () => {
  const ev = one('type: event\npublished: 2026-11-24T09:30:00Z\nname: x\nstart: 2026-12-02T10:00:00Z\nend: 2026-12-01T10:00:00Z\n')
  assert.is(ev.line, 5)
  assert.match(ev.message, /'end' .* is before 'start'/)
  const up = one('type: status\npublished: 2026-11-24T09:30:00Z\nupdated: 2026-11-23T09:30:00Z\ntext: x\n')
  assert.is(up.line, 3)
})

test('refuses a document that is not a mapping', () => {
  const p = one('- just\n- a list\n')
  assert.match(p.message, /must be a YAML mapping/)
})

test.run()
