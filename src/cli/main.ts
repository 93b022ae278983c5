// The `peerfeed` command line: one small file per command in ./commands, each registering itself on sade.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import sade from 'sade'
import { STRING_FLAGS } from './run.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = JSON.parse(fs.readFileSync(path.join(here, '../../package.json'), 'utf8'))

// `peerfeed timeline | head` closes our stdout early: that is the reader's choice, not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

const prog = sade('peerfeed')
  .version(pkg.version)
  .option('--root', 'The feed folder (default: the current directory)')

const dir = path.join(here, 'commands')
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
  const mod = await import(pathToFileURL(path.join(dir, f)).href)
  mod.register(prog)
}

prog.parse(process.argv, { string: STRING_FLAGS })
