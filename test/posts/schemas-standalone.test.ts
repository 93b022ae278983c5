// The validators `npm run compile` writes as code (src/schemas/standalone.ts) answer as ajv does, error for error
// (parse-post.ts words its problems from ajv's errors, with their parent schemas).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { newAjv, schemasVersion } from '../../src/schemas/index.ts'
import { POST_TYPES, schemaId } from '../../src/schemas/registry.ts'
import { validatorSource } from '../../src/schemas/standalone.ts'
import { REPO } from '../helpers/index.ts'

const sa = suite('standalone validators')
const require = createRequire(import.meta.url)

type Validate = ((d: unknown) => boolean) & { errors?: unknown; schemasVersion?: string }

function load(code: string): Validate {
  const mod = { exports: {} as Validate }
  new Function('require', 'module', 'exports', code)(require, mod, mod.exports)
  return mod.exports
}

const published = '2026-11-20T10:00:00Z'
const samples = (type: string): unknown[] => [
  { type, published },
  { type, published, text: 'hello', tags: ['a', 'b'] },
  { type, published: 'yesterday', text: 5 },
  { type, published, 'x-note': { a: [1, 2] }, extra: true },
  { type, published, to: ['bob', 7], attachments: [{ path: 1 }, { path: 'a.png', alt: 'x', mediaType: 'image/png' }] },
  { type, published, url: 'not a url', title: '', lat: 100, lon: -200, start: 'soon', name: '', object: 3, inReplyTo: '' },
  { type, published, distance: -1, duration: 'long', sport: 42, updated: 'never' },
  { type },
  {},
]

sa('every type: the same answer and the same errors as ajv, for valid and invalid posts', () => {
  const ajv = newAjv()
  for (const type of POST_TYPES) {
    const code = validatorSource(type)
    const standalone = load(code)
    assert.is(standalone.schemasVersion, schemasVersion())
    const compiled = ajv.getSchema(schemaId(type)) as unknown as Validate
    for (const s of samples(type)) {
      const [a, b] = [compiled(s), standalone(s)]
      assert.is(b, a, `${type}: ${JSON.stringify(s)}`)
      assert.equal(
        JSON.parse(JSON.stringify(standalone.errors ?? null)),
        JSON.parse(JSON.stringify(compiled.errors ?? null)),
        `${type}: ${JSON.stringify(s)}`,
      )
    }
  }
})

sa('npm run compile wrote them beside the compiled schemas, for these schemas', () => {
  const dir = path.join(REPO, 'lib', 'schemas', 'validators')
  // the test run compiles first (pretest); a run of this file alone may have no lib/
  if (!fs.existsSync(dir)) return
  for (const type of POST_TYPES) {
    const v = require(path.join(dir, `${type}.cjs`)) as Validate
    assert.is(v.schemasVersion, schemasVersion(), `${type}.cjs is of the schemas in src/`)
  }
})

sa.run()
