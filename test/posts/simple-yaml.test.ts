// The fast reader agrees with `yaml` on every post it accepts: examples, generated posts, tricky and fuzzed YAML.
import fs from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parse } from 'yaml'
import { parsePost, parseWithYaml } from '../../src/posts/parse-post.ts'
import { readSimpleYaml } from '../../src/posts/simple-yaml.ts'
import { writeSimpleYaml } from '../../src/posts/simple-yaml-write.ts'
import { orderFields, serializePost, serializeWithYaml } from '../../src/posts/write-post.ts'
import { REPO } from '../helpers/index.ts'

const test = suite('simple yaml')
const FAILED = Symbol('yaml failed')

/** `yaml`'s reading, as parse-post.ts does it (unique keys, no aliases), or FAILED. */
function full(text: string): unknown {
  try {
    return parse(text, { uniqueKeys: true, maxAliasCount: 0 })
  } catch {
    return FAILED
  }
}

/** Asserts that when the fast reader answers, `yaml` reads the same value; returns whether it answered. */
function agree(text: string): boolean {
  const fast = readSimpleYaml(text)
  if (fast === undefined) return false
  const slow = full(text)
  assert.ok(slow !== FAILED, `the fast reader accepted what yaml refuses:\n${JSON.stringify(text)}`)
  assert.ok(
    isDeepStrictEqual(fast, slow),
    `they differ on ${JSON.stringify(text)}:\nfast ${JSON.stringify(fast)}\nyaml ${JSON.stringify(slow)}`,
  )
  return true
}

/** Every post file the repository ships as an example (feed/, docs/, examples/). */
function examples(): string[] {
  const out: string[] = []
  for (const dir of ['feed', 'docs', 'examples']) {
    const abs = path.join(REPO, dir)
    if (!fs.existsSync(abs)) continue
    for (const f of fs.readdirSync(abs, { recursive: true }) as string[]) if (f.endsWith('.yaml')) out.push(path.join(abs, f))
  }
  return out
}

/** A small seeded generator, so a failure can be reproduced. */
function rng(seed: number) {
  let s = seed >>> 0
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)]
  return { next, pick }
}

const ALPHABET = [
  ...'abcdefxyzEeo0123456789',
  ' ',
  ' ',
  ' ',
  ...':#\'"-[]{},&*!|>%@`?~.\\/+_=<()',
  'é',
  'ß',
  '😀',
  '\u00a0',
  '\t',
  '\n',
  '\\n',
  '\\u00e9',
  '\\x41',
  '  ',
  ': ',
  ' #',
  '- ',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  '1e3',
  '1_000',
  '1.50',
  'null',
  'Null',
  '~',
  'true',
  'False',
  'yes',
  'on',
  '2026-11-24T09:30:00Z',
]

test('agrees with yaml on every example post in the repository, and reads them all', () => {
  const files = examples()
  assert.ok(files.length > 0, 'no example posts found')
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8')
    assert.ok(agree(text), `the fast reader should read the example ${path.relative(REPO, f)}`)
    const rel = path.relative(REPO, f)
    assert.equal(parsePost(text, rel), parseWithYaml(text, rel), rel)
  }
})

test('agrees with yaml on posts written by the tool, for every shape of value, and reads them all', () => {
  const r = rng(1)
  const word = () => Array.from({ length: 1 + Math.floor(r.next() * 8) }, () => r.pick(ALPHABET.filter((c) => c !== '\t'))).join('')
  for (let i = 0; i < 3000; i++) {
    const data: Record<string, unknown> = {
      type: 'status',
      published: '2026-11-24T09:30:00Z',
      ...(i % 3 === 0 ? { to: [word(), word()] } : {}),
      ...(i % 4 === 0 ? { tags: [word()] } : {}),
      text: Array.from({ length: 1 + (i % 4) }, word).join(i % 2 ? '\n' : ' '),
      ...(i % 5 === 0 ? { 'x-n': i % 2 ? r.next() * 1000 : word() } : {}),
      ...(i % 7 === 0
        ? { attachments: [{ path: `${word()}.png`, mediaType: 'image/png', size: i, sha256: 'ab'.repeat(32), alt: word() }] }
        : {}),
    }
    const text = serializePost(data)
    const plain = !/[\t\u0000-\u001f]/.test(JSON.stringify(data).replace(/\\n/g, ''))
    const read = agree(text)
    // the writer's own output is what the fast reader is for: whatever has no tab or control character
    if (plain && !/^\s|\s$/m.test(String(data.text)) && !read && !/[\n"'\\]/.test(text)) assert.unreachable(`not read fast:\n${text}`)
  }
})

test('agrees with yaml on tricky hand-written YAML', () => {
  const cases = [
    'a: 1_000\n',
    'a: 0b101\n',
    'a: 0o17\n',
    'a: 0x1F\n',
    'a: +12\n',
    'a: -0\n',
    'a: 1.\n',
    'a: .5\n',
    'a: 1e3\n',
    'a: 1E-3\n',
    'a: .inf\n',
    'a: -.INF\n',
    'a: .NaN\n',
    'a: ~\n',
    'a:\n',
    'a: null\n',
    'a: NULL\n',
    'a: Yes\n',
    'a: on\n',
    'a: TRUE\n',
    'a: 123456789012345678901234567890\n',
    'a: 2026-11-24\n',
    'a: 12:30\n',
    'a: 1:2:3\n',
    'a: "1"\n',
    "a: '1'\n",
    'a: b # c\n',
    'a: b#c\n',
    'a: "b" # c\n',
    "a: 'it''s'\n",
    'a: "tab\\there"\n',
    'a: "\\x41"\n',
    'a: "\\u00e9\\ud83d\\ude00"\n',
    'a: "\\/"\n',
    'a: "a\\\\"\n',
    'a: "a\\"b"\n',
    'a: [x, y z, "q,r", \'s\']\n',
    'a: []\n',
    'a: [ ]\n',
    'a: [x,]\n',
    'a: [x, [y]]\n',
    'a: [1, true, ~, 0x10]\n',
    'a: {b: 1}\n',
    'a: b: c\n',
    'a: b:\n',
    'a: -b\n',
    'a: - b\n',
    'a: ?b\n',
    'a: :b\n',
    'a: ---\n',
    'a: ...\n',
    '---\na: 1\n',
    'a: 1\n---\nb: 2\n',
    'a: 1\n...\n',
    '%YAML 1.1\n---\na: yes\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: !tag x\n',
    'a: 1\na: 2\n',
    'null: 1\n',
    'true: 1\n',
    'a: 1\nb:\n  - x\n  - y\n',
    'a:\n- x\n',
    'a:\n  - x: 1\n    y: 2\n  - x: 3\n',
    'a:\n  - x: 1\n   y: 2\n',
    'a:\n  b: 1\n  c: d\n',
    'a:\n  b:\n    c: 1\n',
    'a:\n  b: 1\n c: 2\n',
    'a: |\n  x\n  y\n',
    'a: |-\n  x\n\n  y\n\n\n',
    'a: |\n  x\n    y\n  z\nb: 1\n',
    'a: |\n\n  x\n',
    'a: |\n    \n  x\n',
    'a: |\n  x\n   \nb: 1\n',
    'a: |\n  x',
    'a: |+\n  x\n\n',
    'a: >\n  x\n  y\n',
    'a: |2\n   x\n',
    'a: |\n  # not a comment\n',
    'a: |\n  x\n# comment\nb: 1\n',
    'a: |\n  x\n# comment\n  y\n',
    'a: b\n  c\n',
    'a: b\n\n  c\n',
    '# c\na: 1\n  # indented comment\nb: 2\n',
    ' a: 1\n',
    'a : 1\n',
    'a:1\n',
    '"a": 1\n',
    'a: 1\r\nb: 2\r\n',
    '\ufeffa: 1\n',
    'a: é😀\n',
    'a: x\u2028y\n',
    'a: x\u0085y\n',
    'a: "x\u00a0"\n',
    'a: x \n',
    'a:  x\n',
    "a: ''\n",
    'a: ""\n',
    'a: "x\n  y"\n',
    "a: 'x\n  y'\n",
    'a: [x\n  , y]\n',
    '__proto__: 1\n',
    'constructor: 1\n',
    'a-b_c: 1\n',
    'a: `x`\n',
    'a: @x\n',
    'a: %x\n',
    'a: x: y\n',
    'a: http://x.y/z?q=1#f\n',
  ]
  for (const c of cases) agree(c)
})

test('agrees with yaml on fuzzed post-shaped YAML', () => {
  const r = rng(20261125)
  const str = (n: number) => Array.from({ length: 1 + Math.floor(r.next() * n) }, () => r.pick(ALPHABET)).join('')
  const shapes = [
    () => `text: ${str(12)}\n`,
    () => `text: "${str(10)}"\n`,
    () => `text: '${str(10)}'\n`,
    () => `tags: [${str(5)}, ${str(5)}]\n`,
    () => `x-a: ${str(6)}\n`,
    () => `x-n:\n  k: ${str(6)}\n  j: ${str(4)}\n`,
    () => `tags:\n  - ${str(6)}\n  - ${str(6)}\n`,
    () => `attachments:\n  - path: ${str(5)}\n    alt: ${str(8)}\n`,
    () => `text: |${r.pick(['', '-'])}\n  ${str(10)}\n${r.pick(['', '\n', '  \n'])}  ${str(10)}\n`,
    () => `${str(4)}: ${str(4)}\n`,
    () => `${str(30)}\n`,
  ]
  let read = 0
  for (let i = 0; i < 6000; i++) {
    const body = Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => r.pick(shapes)()).join('')
    if (agree(`type: status\npublished: 2026-11-24T09:30:00Z\n${body}`)) read++
  }
  assert.ok(read > 1000, `the fast reader answered only ${read} of 6000`)
})

/** The fast writer's text, when it writes one, is byte for byte what `yaml` writes. */
function sameText(data: Record<string, unknown>): boolean {
  const ordered = orderFields(data)
  const fast = writeSimpleYaml(ordered, { flow: new Set(['to', 'tags']), quoted: new Set(['published', 'updated', 'start', 'end']) })
  assert.is(serializePost(data), fast ?? serializeWithYaml(ordered))
  if (fast === undefined) return false
  assert.is(fast, serializeWithYaml(ordered), `the writers differ on ${JSON.stringify(data)}`)
  return true
}

test('writes the same bytes as yaml for every example post and for fuzzed values', () => {
  for (const f of examples()) sameText(parse(fs.readFileSync(f, 'utf8')))
  const r = rng(424242)
  const str = (n: number) => Array.from({ length: 1 + Math.floor(r.next() * n) }, () => r.pick(ALPHABET)).join('')
  const value = () =>
    r.pick([
      () => str(10),
      () => str(3),
      () => Math.floor(r.next() * 1e6),
      () => r.next() * 100,
      () => r.next() < 0.5,
      () => `${str(5)}\n${str(5)}`,
      () => `${str(4)}\n\n${str(4)}\n${str(2)}`,
    ])()
  let written = 0
  for (let i = 0; i < 6000; i++) {
    const data: Record<string, unknown> = { type: 'status', published: r.pick(['2026-11-24T09:30:00Z', str(6)]), text: value() }
    if (i % 3 === 0) data.to = [str(5), str(5)]
    if (i % 4 === 0) data.tags = i % 8 ? [value()] : []
    if (i % 5 === 0) data.updated = str(8)
    if (i % 6 === 0) data.attachments = [{ path: str(6), mediaType: 'image/png', size: Math.floor(r.next() * 1e5), alt: value() }]
    if (i % 7 === 0) data[r.pick(['x-a', 'lat', 'distanceKm', 'title', 'null', 'True', '1x'])] = value()
    if (sameText(data)) written++
  }
  assert.ok(written > 1000, `the fast writer wrote only ${written} of 6000`)
})

test('writes the posts sync and post make without yaml, and reads them back the same', () => {
  const data = {
    type: 'status',
    published: '2026-11-24T09:30:00Z',
    to: ['family', 'bob'],
    tags: ['snow'],
    text: 'First snow.\n\nIn the garden — again!',
  }
  const text = serializePost(data)
  assert.ok(sameText(data))
  assert.ok(!text.includes("'"), text)
  assert.equal(readSimpleYaml(text), data)
})

test('a post outside the subset still gets every problem with its line and column', () => {
  const r = parsePost('type: status\npublished: 2026-11-24T09:30:00Z\ntext: >\n  folded\nlat: x\n', 'f.yaml')
  assert.is(r.data, undefined)
  assert.is(r.problems[0].line, 5, JSON.stringify(r.problems))
  const bad = parsePost('type: status\npublished: 2026-11-24T09:30:00Z\ntext: hi\ntxet: hi\n', 'f.yaml')
  assert.is(bad.problems[0].line, 4)
  assert.match(bad.problems[0].message, /unknown field 'txet'/)
})

test.run()
