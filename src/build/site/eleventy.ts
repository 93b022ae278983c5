// The one place that runs Eleventy: renders exactly the given pages (each template paginates over its kind's list) into memory.
import os from 'node:os'
import path from 'node:path'
import { PeerFeedError } from '../../errors.ts'
import { PAGE_KINDS, type PlannedPage } from './plan.ts'
import type { SiteView } from './types.ts'
import { SITE_FILTERS } from './filters.ts'

/**
 * Renders `pages` with the templates in `templatesDir` and returns their HTML by output path. Global data:
 * `site` (owner facts) and `pf.<kind>` (the pages of each kind to render). Eleventy is imported only when
 * something must be rendered — the import alone costs a third of a second.
 */
export async function renderPages(templatesDir: string, site: SiteView, pages: PlannedPage[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (pages.length === 0) return out
  // Every kind present, empty when nothing of it changed: a template paginating over missing data is an error.
  const pf: Record<string, unknown[]> = Object.fromEntries(PAGE_KINDS.map((k) => [k, []]))
  for (const p of pages) pf[p.kind]!.push(p.data())
  const { Eleventy } = await import('@11ty/eleventy')
  // toJSON() never writes: the output folder only anchors outputPath, which we turn back into relative paths.
  const anchor = path.join(os.tmpdir(), 'peerfeed-eleventy-anchor')
  const elev = new Eleventy(templatesDir, anchor, {
    quietMode: true,
    configPath: null,
    config(cfg) {
      cfg.setTemplateFormats(['njk'])
      cfg.setUseGitIgnore(false)
      cfg.ignores.add('assets/**')
      cfg.ignores.add('README.md')
      cfg.addGlobalData('site', site)
      cfg.addGlobalData('pf', pf)
      for (const [name, fn] of Object.entries(SITE_FILTERS)) cfg.addFilter(name, fn)
    },
  })
  // Eleventy prints its own summary and errors; errors reach the caller as a PeerFeedError instead.
  elev.logger.overrideLogger({ log() {}, info() {}, error() {}, warn: (...a: unknown[]) => console.warn(...a) })
  let results
  try {
    results = await elev.toJSON()
  } catch (cause) {
    throw new PeerFeedError('SITE_RENDER', `Rendering the site with the templates in ${templatesDir} failed: ${(cause as Error).message}`, {
      cause,
    })
  }
  for (const r of results) {
    if (r.outputPath) out.set(path.relative(anchor, r.outputPath).split(path.sep).join('/'), r.content)
  }
  const missing = pages.filter((p) => !out.has(p.path))
  if (missing.length) {
    const kinds = [...new Set(missing.map((p) => p.kind))].join(', ')
    throw new PeerFeedError(
      'SITE_TEMPLATE_MISSING',
      `No template in ${templatesDir} renders the ${kinds} pages (${missing[0]!.path}): each page kind needs a template paginating over pf.<kind>`,
    )
  }
  return out
}
