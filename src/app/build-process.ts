// Runs one `buildFeed` in a child process (build-child.ts) and answers what the app shows of it. A build in the app's
// own process left the app's memory at the build's peak (360 MB after three builds at 10,000 posts, against 220 MB
// before any); in a child the app stays where reading put it. Each build pays node's start and the build's modules
// (about 0.3 s more at 10,000 posts; docs/app.md).
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BuildResult } from '../build/build.ts'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'

/** What the app needs of a build. */
export type ChildBuild = Pick<BuildResult, 'changed' | 'stats' | 'warnings'>

export type ChildAnswer = ({ ok: true } & ChildBuild) | { ok: false; message: string; code?: string }

const compiled = import.meta.url.endsWith('.js')

export function buildInChild(layout: Layout, passphrase?: string): Promise<ChildBuild> {
  // from lib/ the compiled child; from src/ (tests) the TypeScript one through tsx
  const [file, execArgv] = compiled ? ['./build-child.js', []] : ['./build-child.ts', ['--import', import.meta.resolve('tsx')]]
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise<ChildBuild>((resolve, reject) => {
    let answered = false
    child.once('message', (a: ChildAnswer) => {
      answered = true
      if (a.ok) resolve({ changed: a.changed, stats: a.stats, ...(a.warnings ? { warnings: a.warnings } : {}) })
      else reject(a.code ? new PeerFeedError(a.code, a.message) : new Error(a.message))
    })
    child.once('error', (e) => {
      if (!answered) reject(e)
    })
    child.once('exit', (code, signal) => {
      if (!answered)
        reject(new Error(`the build process ended without an answer (${signal ?? `exit code ${code}`}); dist/ was left as it was`))
    })
    child.send({ layout, passphrase })
  })
}
