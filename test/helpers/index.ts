// Test helpers: temp dirs and running the real CLI as a subprocess.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The CLI run from the TypeScript sources, so tests never meet a stale lib/ (bin/peerfeed.js runs lib/; test/package/ covers it). */
export const BIN = path.join(REPO, 'test/helpers/peerfeed-src.js')

/**
 * A new folder for one test, inside one folder for the whole run, which is removed when the run ends (set
 * PEERFEED_KEEP_TMP=1 to keep it and look inside): a full run makes hundreds, and left behind they fill the disk.
 */
export async function tempDir(prefix = 'peerfeed-test-'): Promise<string> {
  if (!runDir) {
    runDir = mkdtempSync(path.join(os.tmpdir(), 'peerfeed-tests-'))
    const made = runDir
    process.on('exit', () => {
      if (!process.env.PEERFEED_KEEP_TMP) rmSync(made, { recursive: true, force: true })
    })
  }
  return fs.mkdtemp(path.join(runDir, prefix))
}
let runDir: string | undefined

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to completion, collecting its output; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Uint8Array } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    // a command may exit without reading its input: a closed pipe is not a test failure
    child.stdin.on('error', () => {})
    child.stdin.end(opts.input ?? '')
  })
}

/** `git -C cwd ARGS` as Ada (a fixed author, so a machine without git's user settings can commit); never throws. */
export const gitRun = (cwd: string, ...args: string[]) =>
  run('git', ['-C', cwd, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.org',
    },
  })

/** `git -C cwd ARGS` as Ada; its output, or an error with git's own when it fails. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await gitRun(cwd, ...args)
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** Runs `peerfeed ARGS` in a child process; never throws on a non-zero exit. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return run(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 't@example.org',
      PEERFEED_REACH_MS: '30000',
      ...opts.env,
    },
    input: opts.input,
  })
}
