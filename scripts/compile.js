// `npm run compile` (also run by `prepare`): src/ → lib/ with tsc, plus every other file under src/ (the JSON
// schemas, the app's static files) at the same place, since the code reads them beside itself.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const lib = path.join(root, 'lib')
// a clean tree each time, so a deleted source never survives as a stale .js
fs.rmSync(lib, { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
})
for (const rel of fs.readdirSync(src, { recursive: true })) {
  const from = path.join(src, rel)
  if (rel.endsWith('.ts') || !fs.statSync(from).isFile()) continue
  fs.mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true })
  fs.copyFileSync(from, path.join(lib, rel))
}
// the post validators as code (lib/schemas/validators/): a command that checks a new post loads one small module
// instead of ajv and a schema compilation (src/schemas/standalone.ts)
const { writeValidators } = await import(new URL('../lib/schemas/standalone.js', import.meta.url).href)
writeValidators(path.join(lib, 'schemas', 'validators'))
