// `peerfeed build`: the feed → dist/: public site, public pages, private pages per friend and group, the key.
// Incremental (unchanged pages are not re-encrypted, unchanged posts not re-rendered), atomic (see generations.ts),
// and one at a time per feed (a lock file under .peerfeed/build/).
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { PeerFeedError, formatProblem, type Problem } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import { acquireLock } from '../fs-lock.ts'
import type { Layout } from '../paths.ts'
import { checkFeed } from '../posts/check-feed.ts'
import { audienceOf, type Post } from '../posts/types.ts'
import type { BuildManifest, AudienceManifest } from '../protocol/build-manifest.ts'
import { commitGeneration, liveTree, mirrorIdle, prepareGeneration } from './generations.ts'
import { reached } from './kill-points.ts'
import { Output } from './output.ts'
import { advanceLedger, type Ledger } from './ledger.ts'
import { ledgerView, saveLedgerView } from './ledger-cache.ts'
import { appendBuild, ledgerFile } from './ledger-log.ts'
import { commitLedger, migrateLedger, readLocalLedger } from './ledger-state.ts'
import { deviceFile, deviceId } from './device.ts'
import { dropSnapshot, scannedTree, scanStart, writeSnapshot } from './input-snapshot.ts'
import { emptyStats, unchangedResult } from './quick-build.ts'
import { assertMerged, historyState, type HistoryState } from '../git.ts'
import { rotationsFile } from '../identity/key-life.ts'
import { ROTATION_PATH } from '../protocol/wire.ts'
import { friendIndexName, newGroupNameKey, ownerNameKey } from './page-names.ts'
import { writeNameBoxes, type BoxCache } from './name-boxes.ts'
import { audienceKeys, resolveAudience } from '../identity/audience.ts'
import { PostIndex } from '../index/post-index.ts'
import { pruneStale, writeAudience, writeFriendIndex, type PageCache, type PrivateContext } from './private-pages.ts'
import { writePublicPages } from './public-pages.ts'
import { privateRefKey, publicRefs } from './private-refs.ts'
import { legacyStateFiles, liveStateDir, readJson, stateFiles, treeStateFiles } from './state.ts'
import { fileURLToPath } from 'node:url'

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface BuildOptions {
  passphrase?: string
  /** re-render and re-encrypt everything */
  full?: boolean
  now?: () => number
  /** progress lines, for a terminal */
  log?: (line: string) => void
  /** how long to wait for another build of the same feed to finish (default 10 minutes) */
  lockWaitMs?: number
  /** told when another build holds the lock and this one starts waiting */
  onLockWait?: (pid: number) => void
  /** the caller already asked quickBuild (quick-build.ts), which found a build to do */
  quickChecked?: boolean
  /** git's state of the history, asked by the caller just before (historyState in git.ts) */
  history?: Promise<HistoryState | undefined>
}

export interface BuildResult {
  dist: string
  /** false when nothing changed since the last build and dist/ was left as it was */
  changed: boolean
  manifest: BuildManifest
  /** milliseconds per step, for benchmarks */
  timings?: Record<string, number>
  /** what check warns about (e.g. a post whose whole audience is blocked); the build went ahead */
  warnings?: Problem[]
  stats: {
    posts: number
    publicPosts: number
    privatePosts: number
    newVersions: number
    tombstones: number
    pagesEncrypted: number
    pagesReused: number
    publicPagesSigned: number
    siteRendered: number
    siteSkipped: number
    ms: number
  }
}

export async function buildFeed(layout: Layout, opts: BuildOptions = {}): Promise<BuildResult> {
  const release = await acquireLock(stateFiles(layout).lock, { what: 'build', waitMs: opts.lockWaitMs, onWait: opts.onLockWait })
  try {
    return await buildLocked(layout, opts)
  } finally {
    await release()
  }
}

async function buildLocked(layout: Layout, opts: BuildOptions): Promise<BuildResult> {
  const t0 = performance.now()
  const timings: Record<string, number> = {}
  let tMark = t0
  const mark = (label: string) => {
    const t = performance.now()
    timings[label] = Math.round(t - tMark)
    tMark = t
  }
  const now = opts.now ?? Date.now
  const log = opts.log ?? (() => {})
  const files = stateFiles(layout)
  // `git status` of every tracked file (for assertMerged) runs in its own process while the files are stat'ed
  const history = opts.history ?? historyState(layout.root)
  if (!opts.full && !opts.quickChecked) {
    const quick = await unchangedResult(layout, t0)
    if (quick) return quick
  }
  // every input file as it is before anything is read: the next build compares against it (input-snapshot.ts)
  const startScan = scanStart(layout)
  mark('scan')

  await assertMerged(layout.root, 'build', history)
  const checked = await checkFeed(layout, { scanned: scannedTree(layout, startScan, layout.feed) })
  mark('check')
  const errors = checked.problems.filter((p) => !p.warning)
  if (errors.length) {
    const lines = errors.map((p) => `  ${formatProblem(p, p.message)}`)
    throw new PeerFeedError('CHECK_FAILED', `the feed has ${errors.length} problem(s); dist/ was left as it was:\n${lines.join('\n')}`)
  }
  // warnings go back in the result (the CLI prints them; the app shows them)
  const warnings = checked.problems.filter((p) => p.warning)
  const { loadSelf, loadIdentityData, loadConfig, keyQr, keyQrSvg, writeWkd } = await import('../identity/index.ts')
  const self = await loadSelf(layout, { passphrase: opts.passphrase, requireSecret: true })
  const signer = self.secretKey!
  const id = await loadIdentityData(layout)
  const config = await loadConfig(layout)
  const posts = checked.posts
  mark('identity')

  // Audiences: public, each friend not blocked, each group with at least one reachable member.
  const friendKey = (name: string) => `friend:${name}`
  const groupKey = (name: string) => `group:${name}`
  // a friend whose key is revoked or expired gets nothing new: it is no audience, and drops out of its groups
  const unusable = new Set([...id.peers.values()].filter((k) => k.revoked || k.expired).map((k) => k.fingerprint))
  const friends = [...id.peers].filter(([, k]) => !id.blocked.has(k.fingerprint) && !unusable.has(k.fingerprint))
  const groupMembers = new Map(
    [...id.groups.keys()].map((g) => [g, id.peers.size ? resolveAudience(id, [g]).filter((fp) => !unusable.has(fp)) : []]),
  )
  const live = new Set<string>([
    'public',
    ...friends.map(([n]) => friendKey(n)),
    ...[...groupMembers].filter(([, m]) => m.length).map(([g]) => groupKey(g)),
  ])
  const audiencesOf = (p: Post) =>
    audienceOf(p.data)
      .map((n) => (n === 'public' ? 'public' : id.peers.has(n) ? friendKey(n) : groupKey(n)))
      .filter((a) => live.has(a))

  // a feed without its own templates/site uses the ones shipped with PeerFeed
  const ownTemplates = path.join(layout.templates, 'site')
  const templatesDir = (await fs.stat(ownTemplates).catch(() => undefined))?.isDirectory()
    ? ownTemplates
    : path.join(PACKAGE_ROOT, 'templates', 'site')
  // the ledger: every device's lines merged (ledger/ in the repo), this device's page plan and group keys (local)
  const device = await deviceId(layout)
  // (kept by a long-running process between builds, extended by the lines appended since: ledger-cache.ts)
  const ledgerSnapshot = path.join(files.root, 'ledger-view.bin')
  let { view } = await ledgerView(layout.root, { snapshot: ledgerSnapshot })
  const migrated = Object.keys(view.newest).length ? undefined : await migrateLedger(files.ledger, device)
  if (migrated) {
    await appendBuild(layout.root, migrated)
    ;({ view } = await ledgerView(layout.root))
  }
  const local = await readLocalLedger(files)
  mark('ledger')
  const rotations = await fs.readFile(rotationsFile(layout), 'utf8').catch(() => undefined)
  const { siteAuthors } = await import('./site-authors.ts')
  const authors = await siteAuthors(layout, id.peers)
  const keyState = [config, crypto.createHash('sha256').update(self.publicKey.armored).digest('hex'), rotations ?? '', [...authors]]
  const templatesState = templatesDir + (await statTree(templatesDir))
  const inputsWith = (ledger: Record<string, number>) =>
    inputHash({ posts, live, groupMembers, owner: self.fingerprint, config: keyState, templates: templatesState, full: opts.full, ledger })
  const inputs = inputsWith(view.newest)
  // what the live tree was built from: its own state folder, so a build killed before its swap counts for nothing
  const liveState = liveStateDir(layout)
  const prevManifest = liveState ? await readJson<BuildManifest | null>(treeStateFiles(liveState).manifest, null) : null
  const prevInputs = liveState ? await fs.readFile(treeStateFiles(liveState).inputs, 'utf8').catch(() => '') : ''
  // the first key expiry to come ends the snapshot's life
  const expiries = [self.publicKey, ...id.peers.values()].map((k) => k.expiresAt).filter((t) => t !== undefined)
  const snapshot = {
    posts: posts.length,
    warnings,
    validUntil: expiries.length ? Math.min(...expiries) : null,
    ownFiles: [ledgerFile(layout.root, device), deviceFile(layout)],
  }
  if (!opts.full && prevInputs === inputs && prevManifest && (await liveTree(layout.dist))) {
    await writeSnapshot(layout, liveState!, startScan, snapshot)
    return { dist: layout.dist, changed: false, manifest: prevManifest, warnings, stats: emptyStats(posts.length, performance.now() - t0) }
  }

  const adv = advanceLedger(view, posts, audiencesOf, live, self.fingerprint, now())
  const { changed } = adv
  const ledger: Ledger = { last: adv.last, audiences: adv.audiences, pages: {}, groupKeys: local.groupKeys }
  for (const a of live) if (local.pages[a]) ledger.pages[a] = local.pages[a]
  for (const [g, members] of groupMembers) {
    const sig = members.join(',')
    if (ledger.groupKeys[g]?.members !== sig) {
      ledger.groupKeys[g] = { members: sig, key: newGroupNameKey() }
      delete ledger.pages[groupKey(g)] // new readers, new names: the pages are re-planned and re-encrypted
    }
  }
  for (const g of Object.keys(ledger.groupKeys)) if (!groupMembers.has(g)) delete ledger.groupKeys[g]

  mark('plan')
  const g = await prepareGeneration(layout.dist, files.root, { fresh: opts.full })
  dropSnapshot(g.stateDir)
  const gen = g.dir
  const genFiles = treeStateFiles(g.stateDir)
  const out = new Output(gen)
  mark('link')
  try {
    const index = new PostIndex(posts)
    const byId = index.byId
    const publicPosts = index.public

    log(`rendering the public site (${publicPosts.length} posts)…`)
    const { renderSite } = await import('./site/index.ts')
    const url = config.url
    const site = await renderSite({
      posts: publicPosts,
      root: layout.root,
      outDir: gen,
      templatesDir,
      cacheDir: g.stateDir,
      codeCache: path.join(files.root, 'templates-compiled.json'),
      full: opts.full,
      authors,
      ownIds: new Set(posts.map((p) => p.id)),
      owner: {
        name: self.name,
        fingerprint: self.fingerprint,
        keyArmored: self.publicKey.armored,
        email: self.email || undefined,
        url,
        qrSvg: await cachedQrSvg(files.root, keyQr({ fingerprint: self.fingerprint, url }), keyQrSvg),
      },
    })
    for (const [k, v] of Object.entries(site.timings ?? {})) timings[`site.${k}`] = v
    out.note(site.written)
    out.note(site.removed)
    // the signed hand-over from each old key to the next (key rotate), beside /key.asc
    if (rotations !== undefined) {
      if ((await out.read(ROTATION_PATH)) !== rotations) await out.write(ROTATION_PATH, rotations)
    } else if (await out.exists(ROTATION_PATH)) await out.remove(ROTATION_PATH)
    if (self.email) out.note((await writeWkd(gen, self.email, self.publicKey)).map((f) => path.relative(gen, path.resolve(gen, f))))
    mark('site')
    reached('site')

    const cache = opts.full ? {} : await readJson<PageCache>(genFiles.pageCache, {})
    const ctx: PrivateContext = {
      out,
      root: layout.root,
      signer,
      owner: self.fingerprint,
      posts: byId,
      cache,
      newCache: {},
      stats: { encrypted: 0, reused: 0 },
    }

    log('writing public pages…')
    const pubStats = { signed: 0, reused: 0 }
    const pub = await writePublicPages({
      out,
      owner: self.fingerprint,
      signer,
      entries: ledger.audiences.public ?? [],
      starts: ledger.pages.public ?? [],
      posts: publicRefs(byId, new Set(publicPosts.map((p) => p.id)), self.fingerprint, privateRefKey(signer)),
      stats: pubStats,
      cache,
      newCache: ctx.newCache,
    })
    ledger.pages.public = pub.starts
    mark('public')

    const audiences: AudienceManifest[] = []
    // X25519 where both keys allow it; otherwise a key the friend learns from their box in p/boxes.json
    const nameKeys = new Map(friends.map(([n, k]) => [n, ownerNameKey(signer, k)]))
    const friendNameKeys = new Map([...nameKeys].map(([n, k]) => [n, k.key]))
    log('encrypting private pages…')
    for (const a of [...live].filter((a) => a !== 'public').sort()) {
      const [kind, name] = a.split(/:(.*)/s) as ['friend' | 'group', string]
      const recipients = kind === 'friend' ? [id.peers.get(name)!] : audienceKeys(id, groupMembers.get(name)!)
      const nameKey = kind === 'friend' ? friendNameKeys.get(name)! : ledger.groupKeys[name].key
      const r = await writeAudience(ctx, {
        key: a,
        kind,
        name,
        recipients,
        nameKey,
        entries: ledger.audiences[a] ?? [],
        starts: ledger.pages[a] ?? [],
      })
      ledger.pages[a] = r.starts
      audiences.push(r.manifest)
    }
    const generated = new Date(now()).toISOString()
    for (const [name, key] of friends) await writeFriendIndex(ctx, key, friendIndexName(friendNameKeys.get(name)!), audiences, generated)
    const boxes = await writeNameBoxes({
      out,
      signer,
      cache: await readJson<BoxCache>(genFiles.boxes, {}),
      boxed: friends.filter(([n]) => nameKeys.get(n)!.boxed).map(([n, friend]) => ({ friend, nameKey: nameKeys.get(n)!.key })),
    })
    await pruneStale(out, new Set(Object.keys(ctx.newCache)))
    mark('private')
    reached('pages')

    const manifest: BuildManifest = {
      v: 1,
      owner: self.fingerprint,
      builtAt: generated,
      last: ledger.last ? String(ledger.last) : null,
      public: { pages: pub.pages },
      audiences,
    }
    // the new lines are durable before any of their cursors is served
    mark('manifest')
    const seen = Object.fromEntries(Object.entries(view.newest).filter(([d]) => d !== device))
    if (adv.entries.length) await appendBuild(layout.root, { dev: device, n: (view.newest[device] ?? 0) + 1, seen, entries: adv.entries })
    // the page plan may run ahead of the live tree (a build killed before its swap); the next build writes every page
    // whose content differs from the live tree's page cache
    await writeFileAtomic(files.localLedger, JSON.stringify({ pages: ledger.pages, groupKeys: ledger.groupKeys }))
    await writeFileAtomic(genFiles.pageCache, JSON.stringify(ctx.newCache))
    await writeFileAtomic(genFiles.boxes, JSON.stringify(boxes))
    await writeFileAtomic(genFiles.manifest, JSON.stringify(manifest))
    // what the next build will read: the ledger with this build's own line, so that build finds nothing changed
    await writeFileAtomic(
      genFiles.inputs,
      adv.entries.length ? inputsWith({ ...view.newest, [device]: (view.newest[device] ?? 0) + 1 }) : inputs,
    )
    reached('state')
    mark('commit.state')
    await commitGeneration(layout.dist, g, out.changed)
    for (const f of legacyStateFiles(layout)) await fs.rm(f, { recursive: true, force: true })
    mark('commit.swap')
    if (adv.entries.length || migrated) {
      const why = await commitLedger(layout.root, device, adv.entries.length + (migrated?.entries.length ?? 0))
      if (why) log(why)
    }
    mark('commit.git')
    // the next build, in this process or another, starts from the view with this build's lines
    await ledgerView(layout.root)
      .then(() => saveLedgerView(layout.root, ledgerSnapshot))
      .catch((e) => log(`the ledger view was not kept for the next build (${(e as Error).message}); it will read every line`))
    mark('commit.view')
    await writeSnapshot(layout, g.stateDir, startScan, snapshot)
    mark('commit.snapshot')
    // a tree built from nothing: the other tree becomes its copy now, so the next build writes only what it changes
    if (g.parent === null) await mirrorIdle(layout.dist, files.root, g)
    mark('mirror')
    const privatePosts = posts.filter((p) => audiencesOf(p).some((a) => a !== 'public')).length
    return {
      dist: layout.dist,
      changed: true,
      manifest,
      warnings,
      stats: {
        posts: posts.length,
        publicPosts: publicPosts.length,
        privatePosts,
        newVersions: changed.versions,
        tombstones: changed.tombstones,
        pagesEncrypted: ctx.stats.encrypted,
        pagesReused: ctx.stats.reused,
        publicPagesSigned: pubStats.signed,
        siteRendered: site.rendered,
        siteSkipped: site.skipped,
        ms: performance.now() - t0,
      },
      timings,
    }
  } catch (e) {
    // dist/ still points at the last good tree, and the half-written one stays marked incomplete (it has no tree.json):
    // the next build starts again from the live one
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new PeerFeedError(
        'DISK_FULL',
        `the disk is full (${(e as Error).message}); dist/ was left as it was — free some space and build again`,
        { cause: e },
      )
    }
    throw e
  }
}

/** One hash of everything a build reads, to skip a build when nothing changed. */
function inputHash(v: {
  posts: Post[]
  live: Set<string>
  groupMembers: Map<string, string[]>
  owner: string
  config: unknown
  templates: string
  full?: boolean
  ledger: Record<string, number>
}): string {
  const h = crypto.createHash('sha256')
  h.update(
    JSON.stringify([
      v.owner,
      [...v.live].sort(),
      [...v.groupMembers].sort(),
      v.config,
      v.templates,
      v.full ?? false,
      Object.entries(v.ledger).sort(),
    ]),
  )
  // one string, one update: 10,000 small updates cost a tenth of a second
  const parts = new Array<string>(v.posts.length)
  for (let i = 0; i < v.posts.length; i++) parts[i] = `${v.posts[i].id}\0${v.posts[i].hash}\n`
  h.update(parts.join(''))
  return h.digest('hex')
}

/** The key's QR code as SVG, kept beside the build state: drawing it costs more than most of an incremental build. */
async function cachedQrSvg(stateRoot: string, text: string, draw: (text: string) => Promise<string>): Promise<string> {
  const file = path.join(stateRoot, 'key-qr.json')
  const kept = await readJson<{ text?: string; svg?: string }>(file, {})
  if (kept.text === text && typeof kept.svg === 'string') return kept.svg
  const svg = await draw(text)
  await writeFileAtomic(file, JSON.stringify({ text, svg })).catch(() => {})
  return svg
}

/** Paths, sizes and mtimes of a folder's files: templates changing means a re-render. */
async function statTree(dir: string): Promise<string> {
  const out: string[] = []
  for (const f of (await fs.readdir(dir, { recursive: true }).catch(() => [] as string[])).sort()) {
    const st = await fs.stat(path.join(dir, f)).catch(() => undefined)
    if (st?.isFile()) out.push(`${f}:${st.size}:${st.mtimeMs}`)
  }
  return out.join('\n')
}
