// The build's local state under .peerfeed/build/ (git-ignored, never published): page plan, page cache, manifest.
// The cursor ledger itself is in the repo (ledger/, see ledger-log.ts).
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Layout } from '../paths.ts'
import { MANIFEST_FILE } from '../protocol/build-manifest.ts'

export const stateFiles = (l: Layout) => ({
  /** the ledger of builds before it moved into the repo (ledger/); read once, to keep its cursors */
  ledger: path.join(l.state, 'build', 'ledger.json'),
  /** this device's page starts and group page-name keys */
  localLedger: path.join(l.state, 'build', 'pages.json'),
  pageCache: path.join(l.state, 'build', 'page-cache.json'),
  boxes: path.join(l.state, 'build', 'name-boxes.json'),
  manifest: path.join(l.state, MANIFEST_FILE),
  inputs: path.join(l.state, 'build', 'inputs.sha256'),
  trees: path.join(l.state, 'build', 'trees.json'),
})

export async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return fallback
  }
}
