// Validators as code, written by `npm run compile` beside the compiled schemas (lib/schemas/validators/<type>.cjs):
// a command that checks a new post loads one small module instead of ajv and a schema compilation. Each file names
// the schemas it was made from (schemasVersion); validatorFor uses it only when they are the ones beside it.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { newAjv, schemasVersion } from './index.ts'
import { POST_TYPES, schemaId } from './registry.ts'

const require = createRequire(import.meta.url)

/** The CommonJS source of the type's validator (requires ajv's runtime helpers and ajv-formats' formats). */
export function validatorSource(type: string): string {
  const standaloneCode = (require('ajv/dist/standalone') as { default: (a: unknown, v: unknown) => string }).default
  const ajv = newAjv({ code: { source: true } })
  const code = standaloneCode(ajv, ajv.getSchema(schemaId(type)))
  return `${code}\nmodule.exports.schemasVersion = ${JSON.stringify(schemasVersion())};\n`
}

/** Writes every type's validator under `dir` (lib/schemas/validators). */
export function writeValidators(dir: string): void {
  fs.mkdirSync(dir, { recursive: true })
  for (const type of POST_TYPES) fs.writeFileSync(path.join(dir, `${type}.cjs`), validatorSource(type))
}
