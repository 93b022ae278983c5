// Renders the pages of PeerFeed's own templates without starting Eleventy: its import and start cost more than a
// second, and its pipeline as much again as the rendering itself. The same Nunjucks (Eleventy's own copy, found
// through Eleventy), the same environment options and include folders, each template's pagination read from its
// front matter. Any template outside that pattern returns undefined, and the caller asks Eleventy.
// test/build/site-direct.test.ts checks both write the same bytes for every page kind.
import crypto from 'node:crypto'
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
type TemplateSource = string | { type: 'code'; obj: object }
interface Loader {
  getSource(name: string): { src: TemplateSource; path: string; noCache: boolean } | null
}
interface Env {
  asyncFilters: string[]
  extensionsList: unknown[]
  opts: object
  addFilter(n: string, f: unknown): void
}
interface Nunjucks {
  Environment: new (loader: Loader, opts: object) => Env
  FileSystemLoader: new (dirs: string[]) => Loader
  Template: new (src: TemplateSource, env: Env, path: string, eager: boolean) => NunjucksTemplate
  compiler: { compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string }
}

/**
 * Nunjucks compiles each template's text to JavaScript, about 4 ms a template: a build that adds one post compiles
 * the eight it renders every time. The JavaScript is kept in `file` by a hash of the text, the template's path and
 * Nunjucks' version (the text compiled the same way gives the same code), and run from there; the file is only a
 * cache of the feed's own state folder.
 */
class CompiledCache {
  readonly #file: string | undefined
  readonly #lib: Nunjucks
  readonly #env: Env
  #code: Record<string, string> = {}
  readonly #used = new Set<string>()
  #added = false

  constructor(file: string | undefined, lib: Nunjucks, env: Env) {
    this.#file = file
    this.#lib = lib
    this.#env = env
    if (!file) return
    try {
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string; code?: Record<string, string> }
      if (kept.version === nunjucksVersion() && kept.code && typeof kept.code === 'object') this.#code = kept.code
    } catch {
      // none yet, or damaged: compiled again
    }
  }

  /** The template's compiled form, from the cache or compiled now. */
  source(text: string, file: string): TemplateSource {
    const key = crypto.createHash('sha256').update(`${file}\0${text}`).digest('hex')
    let code = this.#code[key]
    if (typeof code !== 'string') {
      code = this.#lib.compiler.compile(text, this.#env.asyncFilters, this.#env.extensionsList, file, this.#env.opts)
      this.#code[key] = code
      this.#added = true
    }
    this.#used.add(key)
    // as Nunjucks runs its own compiled code (Template#_compile)
    return { type: 'code', obj: new Function(code)() as object }
  }

  /** Writes the cache when something was compiled: every entry while there are at most 64, else those this build used. */
  save(): void {
    if (!this.#file || !this.#added) return
    this.#added = false
    const keep = Object.fromEntries(Object.entries(this.#code).filter(([k], i, all) => this.#used.has(k) || all.length <= 64))
    const tmp = `${this.#file}.${process.pid}.tmp`
    try {
      fs.writeFileSync(tmp, JSON.stringify({ version: nunjucksVersion(), code: keep }))
      fs.renameSync(tmp, this.#file)
    } catch {
      fs.rmSync(tmp, { force: true })
    }
  }
}

/** Nunjucks' version: its compiler's output may differ between versions. */
const nunjucksVersion = () => (eleventyRequire()('nunjucks/package.json') as { version: string }).version

const eleventyRequire = () => createRequire(import.meta.resolve('@11ty/eleventy'))

interface Paginated {
  kind: string
  alias: string
  permalink: string
  template: NunjucksTemplate
}

let nunjucks: Nunjucks | undefined
const loadNunjucks = (): Nunjucks => {
  nunjucks ??= eleventyRequire()('nunjucks') as Nunjucks
  return nunjucks
}

// Eleventy's front matter: a first line of ---, YAML, a line of ---; the body starts on the next line
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

const ELEVENTY_ONLY =
  /\b(?:page|pagination|collections|eleventy)\s*(?:\.[A-Za-z_]|\[)|\|\s*(?!safe\b|escape\b|e\b|default\b|d\b|length\b|join\b|first\b|last\b|lower\b|upper\b|trim\b|replace\b|int\b|string\b|dump\b|urlencode\b|striptags\b|truncate\b|title\b|capitalize\b|round\b|abs\b|sort\b|reverse\b|batch\b|groupby\b|indent\b|nl2br\b|list\b|sum\b|float\b|wordcount\b|center\b|select\b|reject\b|selectattr\b|rejectattr\b|slice\b|random\b|urlize\b|dictsort\b|forceescape\b|safe\b|linkify\b)[a-zA-Z_]/

/** Reads every top-level template: undefined when one is not `pagination: {data: pf.KIND, size: 1, alias}`. */
function readTemplates(templatesDir: string, env: Env, lib: Nunjucks, compiled: CompiledCache): Map<string, Paginated> | undefined {
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
    // compiled (or taken from the cache) when first rendered: a build that adds one post renders six of the eight kinds
    const body = text.slice(m[0].length)
    let t: NunjucksTemplate | undefined
    const template = { render: (ctx: object) => (t ??= new lib.Template(compiled.source(body, file), env, file, false)).render(ctx) }
    out.set(kind, { kind, alias: p!.alias, permalink: fm.permalink, template })
  }
  return out
}

/** The pages' HTML by output path, or undefined when these templates need Eleventy itself. */
export function renderDirect(
  templatesDir: string,
  site: SiteView,
  pages: PlannedPage[],
  codeCache?: string,
): Map<string, string> | undefined {
  return directRenderer(templatesDir, site, codeCache)?.(pages)
}

/**
 * The templates read and compiled once, for rendering pages in batches (a full build renders thousands, written a
 * batch at a time so their HTML never sits in memory all at once); undefined when these templates need Eleventy.
 * The renderer returns undefined for a batch it cannot render as Eleventy would.
 */
export function directRenderer(
  templatesDir: string,
  site: SiteView,
  /** where compiled templates are kept between builds (CompiledCache) */
  codeCache?: string,
): ((pages: PlannedPage[]) => Map<string, string> | undefined) | undefined {
  const lib = loadNunjucks()
  // as Eleventy sets it up: includes first, then the working folder; its default options
  const loader = new lib.FileSystemLoader([path.join(templatesDir, '_includes'), process.cwd()])
  const env = new lib.Environment(loader, { dev: true })
  const compiled = new CompiledCache(codeCache, lib, env)
  // included and extended templates come compiled too: Nunjucks takes a loader's source as text or as code
  const getSource = loader.getSource.bind(loader)
  loader.getSource = (name) => {
    const found = getSource(name)
    return found && typeof found.src === 'string' ? { ...found, src: compiled.source(found.src, found.path) } : found
  }
  // PeerFeed's own filters, as eleventy.ts adds them
  for (const [name, fn] of Object.entries(SITE_FILTERS)) env.addFilter(name, fn)
  const templates = readTemplates(templatesDir, env, lib, compiled)
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
    compiled.save()
    return out
  }
}
