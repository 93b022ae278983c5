// Public pages for the API: plain JSON entries in cursor order, each page with a manifest of entry hashes
// signed by the owner (detached), so a relay cannot alter a post. Unchanged pages are not signed again.
import fs from 'node:fs/promises'
import path from 'node:path'
import { signDetached, type SecretKey } from '../crypto/index.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Post } from '../posts/types.ts'
import { entryHash } from '../protocol/canonical.ts'
import type { PageRef, PublicManifest } from '../protocol/wire.ts'
import { attachmentName, stemSlug } from './site/urls.ts'
import { sortedEntries, typesOf, wireEntry } from './entries.ts'
import type { AudienceEntry } from './ledger.ts'
import { planPages } from './plan-pages.ts'

export const PUBLIC_DIR = 'api/public'

/** Public attachments are served beside the post's page on the site. */
const siteFiles = (p: Post) =>
  p.data.attachments?.length
    ? Object.fromEntries(p.data.attachments.map((a) => [a.path, `/posts/${stemSlug(p.stem)}/${attachmentName(a.path)}`]))
    : undefined

export async function writePublicPages(opts: {
  outDir: string
  owner: string
  signer: SecretKey
  entries: Record<string, AudienceEntry>
  starts: number[]
  posts: ReadonlyMap<string, Post>
  stats: { signed: number; reused: number }
}): Promise<{ pages: PageRef[]; starts: number[] }> {
  const dir = path.join(opts.outDir, PUBLIC_DIR)
  const planned = planPages(sortedEntries(opts.entries), opts.starts)
  const refs: PageRef[] = []
  const keep = new Set<string>(['index.json'])
  for (const page of planned) {
    const name = String(page.start)
    const entries = page.entries.map((e) => wireEntry(e, opts.posts.get(e.id), siteFiles))
    const manifest: PublicManifest = { v: 1, owner: opts.owner, page: name, first: entries[0].cursor, last: entries[entries.length - 1].cursor, hashes: entries.map(entryHash) }
    const manifestText = JSON.stringify(manifest)
    const mfile = path.join(dir, `${name}.manifest.json`)
    const unchanged = (await fs.readFile(mfile, 'utf8').catch(() => '')) === manifestText &&
      (await fs.access(`${mfile}.asc`).then(() => true, () => false))
    if (unchanged) opts.stats.reused++
    else {
      await writeFileAtomic(path.join(dir, `${name}.json`), JSON.stringify({ v: 1, owner: opts.owner, page: name, entries }))
      await writeFileAtomic(mfile, manifestText)
      await writeFileAtomic(`${mfile}.asc`, await signDetached({ data: manifestText, signer: opts.signer }))
      opts.stats.signed++
    }
    for (const f of [`${name}.json`, `${name}.manifest.json`, `${name}.manifest.json.asc`]) keep.add(f)
    refs.push({ name, audience: 'public', first: manifest.first, last: manifest.last, count: entries.length, types: typesOf(entries) })
  }
  await writeFileAtomic(path.join(dir, 'index.json'), JSON.stringify({ v: 1, owner: opts.owner, pages: refs }))
  for (const f of await fs.readdir(dir).catch(() => [] as string[])) if (!keep.has(f)) await fs.rm(path.join(dir, f), { force: true })
  return { pages: refs, starts: planned.map((p) => p.start) }
}
