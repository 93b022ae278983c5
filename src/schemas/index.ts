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

/**
 * ajv's options for our schemas. Our own schema files are checked against the JSON Schema meta-schema by a test
 * (test/posts/schemas-meta.test.ts), not at every start: compiling the 2020-12 meta-schema cost each process that
 * validates ~0.3–0.45 s of CPU.
 */
export const AJV_OPTIONS = { allErrors: true, allowUnionTypes: true, verbose: true, validateSchema: false } as const

/** An ajv instance holding every schema; `code.source` for one that writes validators as code (standalone.ts). */
export function newAjv(extra: Record<string, unknown> = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
  const a = new Ajv({ ...AJV_OPTIONS, ...extra })
  const addFormats = require('ajv-formats') as (a: Ajv2020) => void
  addFormats(a)
  for (const { schema } of readSchemas()) a.addSchema(schema)
  return a
}

/** The validator `npm run compile` wrote for the type beside this file (standalone.ts), if it is of these schemas. */
function precompiled(type: string): ValidateFunction | undefined {
  try {
    const v = require(path.join(SCHEMA_DIR, 'validators', `${type}.cjs`)) as ValidateFunction & { schemasVersion?: string }
    return v.schemasVersion === schemasVersion() ? v : undefined
  } catch {
    return undefined
  }
}

/**
 * The type's validator: the one compiled ahead of time (lib/schemas/validators/, made by `npm run compile`: loading
 * ajv and compiling one schema cost a process ~0.1 s of CPU, loading its code ~0.01 s), else compiled on first use
 * (one new post compiles one schema, not all of them).
 */
export function validatorFor(type: string): ValidateFunction | undefined {
  const known = validators.get(type)
  if (known || !(POST_TYPES as readonly string[]).includes(type)) return known
  let v = precompiled(type)
  if (!v) {
    ajv ??= newAjv()
    v = ajv.getSchema(schemaId(type))!
  }
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
