// Reads, hashes, parses and validates post files and checks their attachments; spreads big batches over worker
// threads, because YAML parsing (~80 µs a file) is what a cold load of a large feed spends its time on.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Problem } from '../errors.ts'
import { parsePost } from './parse-post.ts'
import type { PostData } from './types.ts'

export interface CacheEntry {
  size: number
  mtimeMs: number
  hash: string
  data: PostData | null
  problems: Problem[]
  /** size and mtime of each attachment when it was checked */
  att: [number, number][]
}

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_MIN = 1500

/** Checks `files` (relative to `rootSlash`), in worker threads when there are many. */
export async function checkFiles(rootSlash: string, files: string[], workers = Math.min(os.availableParallelism(), 4) - 1): Promise<[string, CacheEntry][]> {
  if (files.length < PARALLEL_MIN || workers < 1) return files.map((f) => [f, checkFile(rootSlash + f, f)])
  const share = Math.ceil(files.length / (workers + 1))
  const jobs = Array.from({ length: workers }, (_, i) => runWorker(rootSlash, files.slice((i + 1) * share, (i + 2) * share)))
  const mine: [string, CacheEntry][] = files.slice(0, share).map((f) => [f, checkFile(rootSlash + f, f)])
  return mine.concat(...(await Promise.all(jobs)))
}

function runWorker(rootSlash: string, files: string[]): Promise<[string, CacheEntry][]> {
  if (files.length === 0) return Promise.resolve([])
  return new Promise((resolve, reject) => {
    // a worker does not inherit the TypeScript loader: register it there first, then load the worker module
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
    const entry = JSON.stringify(new URL('./check-worker.ts', import.meta.url).href)
    const w = new Worker(`import(${tsx}).then((m) => { m.register(); return import(${entry}) })`, { eval: true, workerData: { rootSlash, files } })
    w.once('message', resolve)
    w.once('error', reject)
    w.once('exit', (code) => code !== 0 && reject(new Error(`post checker worker exited with ${code}`)))
  })
}

export function checkFile(abs: string, file: string): CacheEntry {
  const fd = fs.openSync(abs, 'r')
  let bytes: Buffer
  let st: fs.Stats
  try {
    st = fs.fstatSync(fd)
    bytes = fs.readFileSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  const hash = crypto.createHash('sha256').update(bytes).digest('hex')
  const { data, problems } = parsePost(bytes.toString('utf8'), file)
  const att: [number, number][] = []
  if (data?.attachments) {
    data.attachments.forEach((a, i) => {
      const target = path.resolve(path.dirname(abs), a.path)
      const ast = fs.statSync(target, { throwIfNoEntry: false })
      if (!ast?.isFile()) {
        problems.push({ file, message: `attachments[${i}]: file '${a.path}' not found beside the post; add it or fix the path` })
        att.push([-1, -1])
        return
      }
      att.push([ast.size, ast.mtimeMs])
      if (a.size !== undefined && a.size !== ast.size) {
        problems.push({ file, message: `attachments[${i}]: '${a.path}' is ${ast.size} bytes, the post says ${a.size}; the file changed — update size and sha256` })
      }
      if (a.sha256) {
        const h = crypto.createHash('sha256').update(fs.readFileSync(target)).digest('hex')
        if (h !== a.sha256) problems.push({ file, message: `attachments[${i}]: sha256 of '${a.path}' does not match (file has ${h}); the file changed or the hash is wrong` })
      }
    })
  }
  const ok = problems.length === 0
  return { size: st.size, mtimeMs: st.mtimeMs, hash, data: ok ? data! : null, problems, att }
}

