// The render manifest: for every output file of the last build, the hash of what it was made from.
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../../fs-atomic.ts'
import type { PlanState } from './plan.ts'

export const MANIFEST_VERSION = 1
export const manifestFile = (cacheDir: string) => path.join(cacheDir, 'site-manifest.json')

export interface Manifest {
  version: number
  templateHash: string
  /** one hash of everything the site was made from (render-site.ts): equal, and nothing is planned again */
  inputs?: string
  /** what the plan of these outputs was made from, for the next plan (plan.ts); in this file, so the two agree */
  plan?: PlanState
  /** Output path (relative to outDir) → input hash. */
  outputs: Record<string, string>
}

export const emptyManifest = (): Manifest => ({ version: MANIFEST_VERSION, templateHash: '', outputs: {} })

/** The last manifest, or an empty one when missing, unreadable or from another version (then everything renders). */
export async function readManifest(cacheDir: string): Promise<Manifest> {
  try {
    const m = JSON.parse(await fs.readFile(manifestFile(cacheDir), 'utf8')) as Manifest
    return m.version === MANIFEST_VERSION && m.outputs && typeof m.outputs === 'object' ? m : emptyManifest()
  } catch {
    return emptyManifest()
  }
}

export async function writeManifest(cacheDir: string, m: Manifest): Promise<void> {
  // Sorted keys: the manifest diffs cleanly and two identical builds write identical bytes.
  const outputs = Object.fromEntries(
    Object.keys(m.outputs)
      .sort()
      .map((k) => [k, m.outputs[k]!]),
  )
  await writeFileAtomic(manifestFile(cacheDir), `${JSON.stringify({ ...m, outputs })}\n`)
}

/**
 * Pure: which outputs must be written (new or changed, or not `reusable` — forced or missing on disk) and which
 * must go (produced last time, not any more).
 */
export function diffOutputs(
  previous: Record<string, string>,
  next: Record<string, string>,
  reusable: (p: string) => boolean = () => true,
): { write: string[]; keep: string[]; remove: string[] } {
  const write: string[] = []
  const keep: string[] = []
  for (const [p, h] of Object.entries(next)) (previous[p] === h && reusable(p) ? keep : write).push(p)
  const remove = Object.keys(previous).filter((p) => !(p in next))
  return { write: write.sort(), keep: keep.sort(), remove: remove.sort() }
}
