// Loads the post-type schemas (JSON files beside this one) and compiles one validator per type with ajv.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import { POST_TYPES, schemaId } from './registry.ts'

// ajv is loaded on the first validation: reading posts through the cache, and most commands, never need it
const require = createRequire(import.meta.url)

export const SCHEMA_DIR = path.dirname(fileURLToPath(import.meta.url))

/** Every schema file's name and parsed JSON, base first. */
export function readSchemas(): { name: string; file: string; schema: Record<string, unknown> }[] {
  return ['base', ...POST_TYPES].map((name) => {
    const file = path.join(SCHEMA_DIR, `${name}.schema.json`)
    return { name, file, schema: JSON.parse(fs.readFileSync(file, 'utf8')) }
  })
}

let ajv: Ajv2020 | undefined
const validators = new Map<string, ValidateFunction>()

/** The type's validator, compiled on first use (one new post compiles one schema, not all of them). */
export function validatorFor(type: string): ValidateFunction | undefined {
  const known = validators.get(type)
  if (known || !(POST_TYPES as readonly string[]).includes(type)) return known
  if (!ajv) {
    const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
    // our own schema files are checked against the JSON Schema meta-schema by a test (test/posts/schemas-meta.test.ts),
    // not at every start: compiling the 2020-12 meta-schema cost each process that validates ~0.3–0.45 s of CPU
    ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true, validateSchema: false })
    const addFormats = require('ajv-formats') as (a: Ajv2020) => void
    addFormats(ajv)
    for (const { schema } of readSchemas()) ajv.addSchema(schema)
  }
  const v = ajv.getSchema(schemaId(type))!
  validators.set(type, v)
  return v
}

/** A hash of all schema files: caches of validated posts are only valid for the schemas they were checked against. */
let version: string | undefined
export function schemasVersion(): string {
  if (version) return version
  const h = crypto.createHash('sha256')
  for (const { file } of readSchemas()) h.update(fs.readFileSync(file))
  return (version = h.digest('hex').slice(0, 16))
}
export type { ErrorObject }
