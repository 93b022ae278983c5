// `npm run compile` (also run by `prepare`): src/ → lib/ with tsc, plus the JSON schemas the code reads beside itself
// and the app's static client.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const lib = path.join(root, 'lib')
// a clean tree each time, so a deleted source never survives as a stale .js
fs.rmSync(lib, { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
for (const dir of ['schemas']) {
  for (const f of fs.readdirSync(path.join(root, 'src', dir)).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(root, 'src', dir, f), path.join(lib, dir, f))
  }
}
// the app's client: plain HTML, CSS and ES modules served as they are
fs.cpSync(path.join(root, 'src/app/static'), path.join(lib, 'app/static'), { recursive: true })
