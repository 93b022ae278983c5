// Renders the pages of PeerFeed's own templates without starting Eleventy: its import and start cost more than a
// second, and its pipeline as much again as the rendering itself. The same Nunjucks (Eleventy's own copy, found
// through Eleventy), the same environment options and include folders, each template's pagination read from its
// front matter. Any template outside that pattern returns undefined, and the caller asks Eleventy.
// test/build/site-direct.test.ts checks both write the same bytes for every page kind.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import YAML from 'yaml'
import { PAGE_KINDS, type PageData, type PlannedPage } from './plan.ts'
import type { SiteView } from './types.ts'
import { SITE_FILTERS } from './filters.ts'

interface NunjucksTemplate {
  render(ctx: object): string
}
interface Nunjucks {
  Environment: new (loader: unknown, opts: object) => object
  FileSystemLoader: new (dirs: string[]) => unknown
  Template: new (src: string, env: object, path: string, eager: boolean) => NunjucksTemplate
}

interface Paginated {
  kind: string
  alias: string
  permalink: string
  template: NunjucksTemplate
}

let nunjucks: Nunjucks | undefined
const loadNunjucks = (): Nunjucks => {
  nunjucks ??= createRequire(import.meta.resolve('@11ty/eleventy'))('nunjucks') as Nunjucks
  return nunjucks
}

// Eleventy's front matter: a first line of ---, YAML, a line of ---; the body starts on the next line
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

const ELEVENTY_ONLY =
  /\b(?:page|pagination|collections|eleventy)\s*(?:\.[A-Za-z_]|\[)|\|\s*(?!safe\b|escape\b|e\b|default\b|d\b|length\b|join\b|first\b|last\b|lower\b|upper\b|trim\b|replace\b|int\b|string\b|dump\b|urlencode\b|striptags\b|truncate\b|title\b|capitalize\b|round\b|abs\b|sort\b|reverse\b|batch\b|groupby\b|indent\b|nl2br\b|list\b|sum\b|float\b|wordcount\b|center\b|select\b|reject\b|selectattr\b|rejectattr\b|slice\b|random\b|urlize\b|dictsort\b|forceescape\b|safe\b|linkify\b)[a-zA-Z_]/

/** Reads every top-level template: undefined when one is not `pagination: {data: pf.KIND, size: 1, alias}`. */
function readTemplates(templatesDir: string, env: object, lib: Nunjucks): Map<string, Paginated> | undefined {
  const out = new Map<string, Paginated>()
  // data only Eleventy provides (page, pagination, collections, eleventy), or filters it adds: Eleventy renders
  const includes = path.join(templatesDir, '_includes')
  for (const f of fs.existsSync(includes) ? (fs.readdirSync(includes, { recursive: true }) as string[]) : []) {
    if (ELEVENTY_ONLY.test(fs.readFileSync(path.join(includes, f), 'utf8'))) return undefined
  }
  for (const name of fs
    .readdirSync(templatesDir)
    .filter((f) => f.endsWith('.njk'))
    .sort()) {
    const file = path.join(templatesDir, name)
    const text = fs.readFileSync(file, 'utf8')
    const m = FRONT_MATTER.exec(text)
    if (!m || ELEVENTY_ONLY.test(text.slice(m[0].length))) return undefined
    const fm = YAML.parse(m[1]) as {
      pagination?: { data?: unknown; size?: unknown; alias?: unknown }
      permalink?: unknown
      [k: string]: unknown
    }
    const known = new Set(['pagination', 'permalink', 'eleventyExcludeFromCollections'])
    if (!fm || Object.keys(fm).some((k) => !known.has(k))) return undefined
    const p = fm.pagination
    const kind = typeof p?.data === 'string' && /^pf\.[a-z]+$/.test(p.data) ? p.data.slice(3) : undefined
    if (!kind || p!.size !== 1 || typeof p!.alias !== 'string' || typeof fm.permalink !== 'string' || out.has(kind)) return undefined
    // compiled when first rendered (not eagerly): a build that adds one post renders six of the eight kinds
    out.set(kind, { kind, alias: p!.alias, permalink: fm.permalink, template: new lib.Template(text.slice(m[0].length), env, file, false) })
  }
  return out
}

/** The pages' HTML by output path, or undefined when these templates need Eleventy itself. */
export function renderDirect(templatesDir: string, site: SiteView, pages: PlannedPage[]): Map<string, string> | undefined {
  return directRenderer(templatesDir, site)?.(pages)
}

/**
 * The templates read and compiled once, for rendering pages in batches (a full build renders thousands, written a
 * batch at a time so their HTML never sits in memory all at once); undefined when these templates need Eleventy.
 * The renderer returns undefined for a batch it cannot render as Eleventy would.
 */
export function directRenderer(
  templatesDir: string,
  site: SiteView,
): ((pages: PlannedPage[]) => Map<string, string> | undefined) | undefined {
  const lib = loadNunjucks()
  // as Eleventy sets it up: includes first, then the working folder; its default options
  const env = new lib.Environment(new lib.FileSystemLoader([path.join(templatesDir, '_includes'), process.cwd()]), { dev: true })
  // PeerFeed's own filters, as eleventy.ts adds them
  for (const [name, fn] of Object.entries(SITE_FILTERS)) (env as { addFilter(n: string, f: unknown): void }).addFilter(name, fn)
  const templates = readTemplates(templatesDir, env, lib)
  if (!templates) return undefined
  const permalinks = new Map<string, NunjucksTemplate>()
  return (pages) => {
    const out = new Map<string, string>()
    // the same global data as eleventy.ts gives: every kind present, each with the pages being rendered
    const pf: Record<string, PageData[]> = Object.fromEntries(PAGE_KINDS.map((k) => [k, []]))
    const data = pages.map((p) => p.data())
    pages.forEach((p, i) => pf[p.kind]!.push(data[i]))
    for (const [i, page] of pages.entries()) {
      const t = templates.get(page.kind)
      if (!t) return undefined
      if (!permalinks.has(t.permalink)) permalinks.set(t.permalink, new lib.Template(t.permalink, env, `${t.kind}-permalink`, true))
      const ctx = { site, pf, [t.alias]: data[i] }
      if (permalinks.get(t.permalink)!.render(ctx) !== page.path) return undefined
      out.set(page.path, t.template.render(ctx))
    }
    return out
  }
}
