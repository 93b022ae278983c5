// Public pages for the API: plain JSON entries in cursor order, each page with a manifest of entry hashes
// signed by the owner (detached), so a relay cannot alter a post. Unchanged pages are not signed again.
import fs from 'node:fs/promises'
import { signDetached, type SecretKey } from '../crypto/index.ts'
import type { Output } from './output.ts'
import type { Post } from '../posts/types.ts'
import { entryHash, sha256Hex } from '../protocol/canonical.ts'
import type { PageRef, PublicManifest } from '../protocol/wire.ts'
import { attachmentName, stemSlug } from './site/urls.ts'
import { typesOf, wireEntry } from './entries.ts'
import type { LedgerEntry } from './ledger.ts'
import { planPages } from './plan-pages.ts'

export const PUBLIC_DIR = 'api/public'

/** Public attachments are served beside the post's page on the site. */
const siteFiles = (p: Post) =>
  p.data.attachments?.length
    ? Object.fromEntries(p.data.attachments.map((a) => [a.path, `/posts/${stemSlug(p.stem)}/${attachmentName(a.path)}`]))
    : undefined

export async function writePublicPages(opts: {
  out: Output
  owner: string
  signer: SecretKey
  /** in cursor order (ledger.ts) */
  entries: readonly LedgerEntry[]
  starts: number[]
  posts: ReadonlyMap<string, Post>
  stats: { signed: number; reused: number }
  /** page name → key of its inputs, from the last build; filled in for this one */
  cache: Record<string, string>
  newCache: Record<string, string>
}): Promise<{ pages: PageRef[]; starts: number[] }> {
  const { out } = opts
  const at = (f: string) => `${PUBLIC_DIR}/${f}`
  const planned = planPages(opts.entries, opts.starts)
  const refs: PageRef[] = []
  const keep = new Set<string>(['index.json'])
  for (const page of planned) {
    const name = String(page.start)
    const files = [`${name}.json`, `${name}.manifest.json`, `${name}.manifest.json.asc`]
    for (const f of files) keep.add(f)
    // a page whose entries are the same post versions as last time is left alone, without hashing its entries again
    const inputs = sha256Hex(JSON.stringify([opts.owner, page.entries.map((e) => [e.id, e.c, e.d ?? 0, opts.posts.get(e.id)?.hash ?? ''])]))
    const cacheKey = `public/${name}`
    opts.newCache[cacheKey] = inputs
    const cachedRef = opts.cache[`${cacheKey}/ref`]
    if (opts.cache[cacheKey] === inputs && cachedRef && (await Promise.all(files.map((f) => out.exists(at(f))))).every(Boolean)) {
      opts.newCache[`${cacheKey}/ref`] = cachedRef
      refs.push(JSON.parse(cachedRef) as PageRef)
      opts.stats.reused++
      continue
    }
    const entries = page.entries.map((e) => wireEntry(e, opts.posts.get(e.id), siteFiles))
    const manifest: PublicManifest = {
      v: 1,
      owner: opts.owner,
      page: name,
      first: entries[0].cursor,
      last: entries[entries.length - 1].cursor,
      hashes: entries.map(entryHash),
    }
    const manifestText = JSON.stringify(manifest)
    const mfile = at(`${name}.manifest.json`)
    const unchanged =
      (await out.read(mfile)) === manifestText && (await out.exists(`${mfile}.asc`)) && (await out.exists(at(`${name}.json`)))
    if (unchanged) opts.stats.reused++
    else {
      await out.write(at(`${name}.json`), JSON.stringify({ v: 1, owner: opts.owner, page: name, entries }))
      await out.write(mfile, manifestText)
      await out.write(`${mfile}.asc`, await signDetached({ data: manifestText, signer: opts.signer }))
      opts.stats.signed++
    }
    const ref: PageRef = {
      name,
      audience: 'public',
      first: manifest.first,
      last: manifest.last,
      count: entries.length,
      types: typesOf(entries),
    }
    opts.newCache[`${cacheKey}/ref`] = JSON.stringify(ref)
    refs.push(ref)
  }
  const index = JSON.stringify({ v: 1, owner: opts.owner, pages: refs })
  if ((await out.read(at('index.json'))) !== index) await out.write(at('index.json'), index)
  for (const f of await fs.readdir(out.abs(PUBLIC_DIR)).catch(() => [] as string[])) if (!keep.has(f)) await out.remove(at(f))
  return { pages: refs, starts: planned.map((p) => p.start) }
}
