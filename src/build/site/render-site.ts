// Renders the public site incrementally: plan every output with a hash, render and write only what changed.
import { PeerFeedError } from '../../errors.ts'
import type { Post } from '../../posts/types.ts'
import { atomFeed } from './atom.ts'
import { renderPages } from './eleventy.ts'
import { directRenderer } from './nunjucks-direct.ts'
import { sha256 } from './hash.ts'
import { jsonFeed } from './json-feed.ts'
import { diffOutputs, MANIFEST_VERSION, readManifest, writeManifest } from './manifest.ts'
import { outbox } from './outbox.ts'
import { existing, placeFiles, removeFiles, type OutputSource } from './outputs.ts'
import { planSite, type PlannedPage } from './plan.ts'
import { assetCopies, attachmentCopies, DEFAULT_SCHEMAS_DIR, hashTemplates, schemaCopies } from './sources.ts'
import type { RenderSiteOptions, RenderSiteResult, SiteView } from './types.ts'
import { paths } from './urls.ts'
import { fullId } from './views.ts'

/** One hash of a list of inputs (JSON), the long texts among them hashed apart. */
const siteInputs = (parts: unknown[]) => sha256(parts.map((x) => (typeof x === 'string' ? sha256(x) : JSON.stringify(x))).join('\n'))

/**
 * Each of the owner's posts a public post answers or likes that is not itself public, and whether the owner has a
 * post of that name: all a page reads of the owner's other posts (refTo in views.ts says "not public" or "does not
 * exist"). A superset: friends' posts named by a bare stem are listed too.
 */
export function ownRefs(posts: Post[], fingerprint: string, ownIds: ReadonlySet<string> | undefined): [string, boolean][] | null {
  if (!ownIds) return null
  const shown = new Set(posts.map((p) => p.id))
  const out: [string, boolean][] = []
  const own = `${fingerprint.toLowerCase()}/`
  for (const p of posts) {
    for (const ref of [p.data.inReplyTo, p.data.object]) {
      if (typeof ref !== 'string' || !ref || shown.has(fullId(fingerprint, ref))) continue
      out.push([ref, ownIds.has(own + ref.slice(ref.lastIndexOf('/') + 1))])
    }
  }
  return out
}

/** Pages rendered (and written) at a time without Eleventy: bounds the HTML held in memory during a full build. */
const BATCH = 500

/** Renders and writes `pages` a batch at a time without Eleventy; the pages it could not render, for Eleventy. */
async function renderDirectly(
  templatesDir: string,
  site: SiteView,
  pages: PlannedPage[],
  outDir: string,
  codeCache?: string,
): Promise<PlannedPage[]> {
  let render: ReturnType<typeof directRenderer>
  try {
    render = pages.length ? directRenderer(templatesDir, site, codeCache) : undefined
  } catch {
    render = undefined
  }
  if (!render) return pages
  for (let i = 0; i < pages.length; i += BATCH) {
    const batch = pages.slice(i, i + BATCH)
    let html: Map<string, string> | undefined
    try {
      html = render(batch)
    } catch {
      // Eleventy renders it again and reports the problem in its words
      html = undefined
    }
    if (!html) return pages.slice(i)
    await placeFiles(outDir, new Map([...html].map(([out, content]) => [out, { content }])))
  }
  return []
}

/**
 * Brings outDir's public site up to date with `posts`. Pages whose input hash matches the manifest in cacheDir (and
 * whose file is still in outDir) are left alone; changed ones are rendered by Eleventy and renamed into place; pages
 * of posts that are gone are removed. A template change, or `full`, renders everything.
 */
export async function renderSite(opts: RenderSiteOptions): Promise<RenderSiteResult> {
  const {
    posts,
    owner,
    outDir,
    templatesDir,
    cacheDir,
    root,
    full = false,
    homeSize = 20,
    feedSize = 50,
    schemasDir = DEFAULT_SCHEMAS_DIR,
  } = opts
  const timings: Record<string, number> = {}
  let last = performance.now()
  const lap = (name: string) => {
    const now = performance.now()
    timings[name] = Math.round(now - last)
    last = now
  }
  const [templateHash, previous, assets, schemas] = await Promise.all([
    hashTemplates(templatesDir),
    readManifest(cacheDir),
    assetCopies(templatesDir),
    schemaCopies(schemasDir),
  ])
  lap('read')
  // Everything the site is made from, as one hash. When it is what the last build recorded and every output it wrote
  // is still there, nothing can have changed: planning 10,000 pages is skipped (a post to a friend or a group, a new
  // key, a member removed leave the public site as it was).
  const withAttachments = posts.filter((p) => p.data.attachments?.length)
  const attached = attachmentCopies(root, withAttachments, new Map(withAttachments.map((p) => [p.id, p.stem])))
  const refs = ownRefs(posts, owner.fingerprint, opts.ownIds)
  const inputs = siteInputs([
    MANIFEST_VERSION,
    templateHash,
    owner,
    homeSize,
    feedSize,
    [...(opts.authors ?? [])],
    assets.map((c) => [c.out, c.hash]),
    schemas.map((c) => [c.out, c.hash]),
    attached.copies.map((c) => [c.out, c.from, c.hash]),
    attached.problems,
    // of the owner's other posts the site shows only whether one a public post answers or likes exists (views.ts,
    // refTo): that, not every private post, is an input
    refs,
    posts.map((p) => `${p.id}\0${p.hash}`).join('\n'),
  ])
  lap('inputs')
  const outputs = Object.keys(previous.outputs)
  if (!full && previous.inputs === inputs && outputs.length && existing(outDir, outputs).size === outputs.length) {
    lap('unchanged')
    return { rendered: 0, skipped: outputs.length, files: outputs.sort(), written: [], removed: [], problems: attached.problems, timings }
  }
  // pages none of whose inputs changed keep the last plan's hash (plan.ts)
  const plan = planSite({
    posts,
    owner,
    templateHash,
    homeSize,
    authors: opts.authors,
    ownIds: opts.ownIds,
    context: JSON.stringify(refs),
    previous: !full && previous.plan ? { state: previous.plan, hashes: previous.outputs } : undefined,
  })
  lap('plan')
  const { copies: attachments, problems } = attachmentCopies(root, plan.posts, plan.index.slugs)

  // Feeds list the newest first (JSON Feed asks for it; Atom readers expect it).
  const newest = plan.posts
    .map((_, i) => i)
    .slice(-feedSize)
    .reverse()
    .map((i) => plan.view(i))
  const generated = new Map<string, string>([
    [paths.atom, atomFeed(plan.site, newest)],
    [paths.jsonFeed, jsonFeed(plan.site, newest)],
    [paths.outbox, outbox(plan.site, newest)],
    [paths.key, owner.keyArmored],
  ])

  const next: Record<string, string> = {}
  const claim = (out: string, hash: string) => {
    if (out in next) throw new PeerFeedError('SITE_PATH_CLASH', `Two outputs of the site would be written to ${out}`)
    next[out] = hash
  }
  for (const p of plan.pages) claim(p.path, p.hash)
  for (const [out, content] of generated) claim(out, sha256(content))
  const copies = [...assets, ...schemas, ...attachments]
  for (const c of copies) claim(c.out, c.hash)

  // New templates re-render every page; feeds and copies are keyed by their own content and stay unless `full`.
  const templatesChanged = previous.templateHash !== templateHash
  const pagePaths = new Set(plan.pages.map((p) => p.path))
  const forced = (p: string) => full || (templatesChanged && pagePaths.has(p))
  const unchanged = Object.keys(next).filter((p) => previous.outputs[p] === next[p] && !forced(p))
  const present = existing(outDir, unchanged)
  const diff = diffOutputs(previous.outputs, next, (p) => !forced(p) && present.has(p))
  const toWrite = new Set(diff.write)
  lap('diff')

  const files = new Map<string, OutputSource>()
  const toRender = plan.pages.filter((p) => toWrite.has(p.path))
  const left = await renderDirectly(templatesDir, plan.site, toRender, outDir, opts.codeCache)
  const html = await renderPages(templatesDir, plan.site, left)
  lap('render')
  for (const [out, content] of html) files.set(out, { content })
  for (const [out, content] of generated) if (toWrite.has(out)) files.set(out, { content })
  for (const c of copies) if (toWrite.has(c.out)) files.set(c.out, { copyFrom: c.from })

  await placeFiles(outDir, files)
  await removeFiles(outDir, diff.remove)
  if (diff.write.length || diff.remove.length || templatesChanged || previous.inputs !== inputs) {
    await writeManifest(cacheDir, { version: MANIFEST_VERSION, templateHash, inputs, outputs: next, plan: plan.state })
  }
  lap('write')
  return {
    rendered: diff.write.length,
    skipped: diff.keep.length,
    files: Object.keys(next).sort(),
    written: diff.write,
    removed: diff.remove,
    problems,
    timings,
  }
}
