// Puts files into the output folder without ever writing through an existing file (it may be a hard link into the
// previous build): each file is written beside its target under a temporary name and renamed over it.
import crypto from 'node:crypto'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

export type OutputSource = { content: string | Uint8Array } | { copyFrom: string }

/** Runs `fn` over `items` with at most `limit` in flight: thousands of small files, without thousands of open handles. */
export async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Writes every file (relative path → content or source file) into outDir. A new file is created exclusively (`wx`:
 * it fails rather than open an existing file); an existing one is replaced by temp file + rename. On a fresh output
 * folder that saves a third of the write time, which dominates full builds.
 */
export async function placeFiles(outDir: string, files: Map<string, OutputSource>): Promise<void> {
  const dirs = new Set([...files.keys()].map((rel) => path.dirname(path.join(outDir, rel))))
  await eachLimit([...dirs].sort(), 32, async (d) => {
    await fs.mkdir(d, { recursive: true })
  })
  const tag = crypto.randomBytes(4).toString('hex')
  await eachLimit([...files], 32, async ([rel, src]) => {
    const target = path.join(outDir, rel)
    const created = await put(target, src, 'wx').then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') return false
        throw e
      },
    )
    if (created) return
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${tag}.tmp`)
    try {
      await put(tmp, src, 'w')
      await fs.rename(tmp, target)
    } catch (e) {
      await fs.rm(tmp, { force: true })
      throw e
    }
  })
}

function put(file: string, src: OutputSource, flag: 'w' | 'wx'): Promise<void> {
  if ('content' in src) return fs.writeFile(file, src.content, { flag })
  return fs.copyFile(src.copyFrom, file, flag === 'wx' ? fsSync.constants.COPYFILE_EXCL : 0)
}

/** Removes files of the site that are no longer produced, then the folders that became empty (never outDir itself). */
export async function removeFiles(outDir: string, rels: string[]): Promise<void> {
  await eachLimit(rels, 32, (rel) => fs.rm(path.join(outDir, rel), { force: true }))
  const dirs = new Set<string>()
  for (const rel of rels) for (let d = path.dirname(rel); d !== '.' && d !== ''; d = path.dirname(d)) dirs.add(d)
  // Deepest first, so a parent is tried after its children.
  for (const d of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
    await fs.rmdir(path.join(outDir, d)).catch(() => {})
  }
}

/**
 * Which of `rels` exist under outDir: an output whose file vanished is rendered again even if its hash matches.
 * Synchronous on purpose: 10,000 cached stats take ~30 ms in a loop but ~500 ms through the thread pool.
 */
export function existing(outDir: string, rels: string[]): Set<string> {
  const found = new Set<string>()
  // access(), not stat(): no Stats object for each of 10,000 files
  const dir = outDir.endsWith(path.sep) ? outDir : outDir + path.sep
  for (const rel of rels) if (fsSync.existsSync(dir + rel)) found.add(rel)
  return found
}
