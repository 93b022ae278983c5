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

const prog = sade('peerfeed').version(pkg.version).option('--root', 'The feed folder (default: the current directory)')

// compiled to lib/ these are .js files, run from src/ through tsx they are .ts
const ext = path.extname(fileURLToPath(import.meta.url))
const dir = path.join(here, 'commands')
// Only the file of the command being run is loaded (commands/NAME registers `NAME …`); help and unknown words load all.
const ALIASES: Record<string, string> = { unblock: 'block', unfollow: 'follow' }
const word = process.argv[2] ?? ''
const own = /^[a-z][a-z-]*$/.test(word) ? `${ALIASES[word] ?? word}${ext}` : ''
const versionOnly = process.argv.length === 3 && (word === '--version' || word === '-v')
const files = versionOnly
  ? []
  : own && fs.existsSync(path.join(dir, own)) && !process.argv.includes('--help') && !process.argv.includes('-h')
    ? [own]
    : fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .sort()
for (const f of files) {
  const mod = await import(pathToFileURL(path.join(dir, f)).href)
  mod.register(prog)
}

// `peerfeed device` (or `group`, `peer`, … with --help): a word that only names sub-commands lists them
const tree = (prog as unknown as { tree: Record<string, { describe?: string[] } | string> }).tree
const subs = Object.keys(tree).filter((k) => k.startsWith(`${word} `))
const next = process.argv[3]
if (word && !(word in tree) && subs.length && (next === undefined || next.startsWith('-'))) {
  const width = Math.max(...subs.map((k) => k.length))
  const line = (k: string) => {
    const entry = tree[k]
    return `  peerfeed ${k.padEnd(width)}  ${typeof entry === 'string' ? '' : (entry.describe?.[0] ?? '')}`
  }
  console.log(`peerfeed ${word}: one of\n${subs.map(line).join('\n')}\n\nMore on each: peerfeed ${subs[0]} --help`)
  process.exitCode = process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 1
} else prog.parse(process.argv, { string: STRING_FLAGS })
