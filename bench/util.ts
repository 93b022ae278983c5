// Small helpers for benchmarks: timing, peak memory, generating feeds.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const r = await fn()
  return [r, performance.now() - t]
}

/** Peak resident memory of this process so far, in MB. */
export const peakMB = () => Math.round(process.resourceUsage().maxRSS / 1024)

export const tmp = (prefix: string) => fs.mkdtemp(path.join(os.tmpdir(), prefix))

const WORDS = 'snow garden river morning coffee friends market bike train book music rain sun walk city forest'.split(' ')

/** Writes `n` varied post files under root/feed, one per minute (or `stepMs`) from `start`; returns their paths. */
export async function generateFeed(
  root: string,
  n: number,
  opts: { to?: (i: number) => string[] | undefined; start?: number; stepMs?: number } = {},
) {
  const start = opts.start ?? Date.parse('2025-01-01T00:00:00Z')
  const step = opts.stepMs ?? 60_000
  const dirs = new Set<string>()
  const files: string[] = []
  for (let i = 0; i < n; i++) {
    const d = new Date(start + i * step)
    const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z')
    const dir = path.join(root, 'feed', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'))
    if (!dirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true })
      dirs.add(dir)
    }
    const words = Array.from({ length: 12 + (i % 30) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ')
    const to = opts.to?.(i)
    const body = `type: status\npublished: ${iso}\n${to ? `to: [${to.join(', ')}]\n` : ''}tags: [${WORDS[i % WORDS.length]}]\ntext: Post ${i} — ${words}.\n`
    const file = path.join(dir, `${iso.replace(/:/g, '-')}-post-${i}.yaml`)
    await fs.writeFile(file, body)
    files.push(file)
  }
  return files
}
