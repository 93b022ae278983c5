// Every schema file is a valid JSON Schema 2020-12 document (ajv's meta-schema check, which the tool skips at start).
import { createRequire } from 'node:module'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import { readSchemas, validatorFor } from '../../src/schemas/index.ts'
import { POST_TYPES } from '../../src/schemas/registry.ts'

const require = createRequire(import.meta.url)

test('every schema file passes the JSON Schema 2020-12 meta-schema, and compiles', () => {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true })
  ;(require('ajv-formats') as (a: Ajv2020) => void)(ajv)
  for (const { name, schema } of readSchemas()) {
    assert.ok(ajv.validateSchema(schema), `${name}.schema.json: ${ajv.errorsText(ajv.errors)}`)
    ajv.addSchema(schema)
  }
  for (const type of POST_TYPES) assert.type(validatorFor(type), 'function', type)
})

test('the meta-schema check fails for a broken schema (so the test above can fail)', () => {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
  const ajv = new Ajv()
  assert.not.ok(ajv.validateSchema({ type: 'strin', properties: [] }))
})

test.run()
