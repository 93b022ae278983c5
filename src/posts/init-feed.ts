// Creates a feed root: folders, a .gitignore that keeps secrets and build output out of git, a git repo, the
// identity, peerfeed.yaml — all committed (never the secret key). Run again with --name/--email/--url, it updates them.
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { commitChanges, initRepo } from '../git.ts'
import type { Layout } from '../paths.ts'

/** Lines every feed's .gitignore must have: the secret key and local state, build output, the inbox. */
export const IGNORED = ['.peerfeed/', '*.secret.asc', 'dist', '.dist-*', 'inbox/', 'node_modules/']

/** One example post of each type, copied into feed/ by `init --examples`. */
export const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/examples/feed')

/** The files init makes that must survive a lost machine: committed by init (the secret key never is). */
export const INIT_PATHS = ['.gitignore', 'peerfeed.yaml', 'keys', 'groups']

export interface InitOptions {
  name?: string
  email?: string
  /** where the site will be served, e.g. https://ada.example.org/ */
  url?: string
  passphraseFile?: string
  passphrase?: string
  /** copy the example posts (docs/examples/feed) into feed/ */
  examples?: boolean
  /** commit what init made or changed (default true) */
  commit?: boolean
}

export interface InitResult {
  log: string[]
  fingerprint: string
  /** the commit init made, if any */
  commit?: string
}

/** A site URL as peerfeed.yaml keeps it: absolute http(s), ending in a slash. */
export function normalizeSiteUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url.trim())
  } catch {
    throw new PeerFeedError('BAD_URL', `--url '${url}' is not a web address; write it like https://ada.example.org/ (or leave it out)`)
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new PeerFeedError('BAD_URL', `--url must start with https:// or http://, not '${u.protocol}'`)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return u.href
}

export async function initFeed(layout: Layout, opts: InitOptions = {}): Promise<InitResult> {
  const { ensureIdentity, renameSelf, passphraseFrom, loadConfig, saveConfig } = await import('../identity/index.ts')
  const hasIdentity = await exists(layout.selfPublicKey)
  const url = opts.url === undefined || opts.url === '' ? undefined : normalizeSiteUrl(opts.url)
  // refuse before creating anything: a new feed needs a person's name, never the operating-system user's
  if (!hasIdentity && !opts.name?.trim() && !(await loadConfig(layout).catch(() => ({}) as { name?: string })).name) {
    throw new PeerFeedError(
      'NAME_REQUIRED',
      'your name is needed to make your key (friends and your site show it): run `peerfeed init --name "Your Name"` (optionally --email and --url).',
    )
  }

  const log: string[] = []
  await fs.mkdir(layout.root, { recursive: true })
  for (const dir of [layout.feed, layout.keys, layout.groups]) {
    if (!(await exists(dir))) {
      await fs.mkdir(dir, { recursive: true })
      log.push(`created ${path.relative(layout.root, dir)}/`)
    }
  }
  const gitignore = path.join(layout.root, '.gitignore')
  const current = await fs.readFile(gitignore, 'utf8').catch(() => '')
  const have = new Set(current.split('\n').map((l) => l.trim()))
  const missing = IGNORED.filter((l) => !have.has(l))
  if (missing.length) {
    const sep = current && !current.endsWith('\n') ? '\n' : ''
    await writeFileAtomic(gitignore, `${current}${sep}${current ? '\n# added by peerfeed init\n' : ''}${missing.join('\n')}\n`)
    log.push(`${current ? 'added to' : 'created'} .gitignore: ${missing.join(' ')}`)
  }
  if (await initRepo(layout.root)) log.push('initialized a git repository')

  const passphrase = opts.passphrase ?? (await passphraseFrom({ 'passphrase-file': opts.passphraseFile }))
  let fingerprint: string
  let message: string
  if (!hasIdentity) {
    const id = await ensureIdentity(layout, { name: opts.name, email: opts.email, passphrase })
    fingerprint = id.fingerprint
    const who = (await loadConfig(layout)).name
    message = `init: feed of ${who}`
    log.push(
      `created your key ${id.fingerprint} for "${who}": public keys/self.asc (committed), secret ${path.relative(layout.root, layout.selfSecretKey)} (never leaves this machine)`,
    )
    const { revocationFile, REVOCATION_ADVICE } = await import('../identity/key-life.ts')
    log.push(`made a revocation certificate, ${path.relative(layout.root, revocationFile(layout))}: ${REVOCATION_ADVICE}`)
  } else if (opts.name !== undefined || opts.email !== undefined) {
    const r = await renameSelf(layout, { name: opts.name, email: opts.email, passphrase })
    fingerprint = r.fingerprint
    const now = `${r.name}${r.email ? ` <${r.email}>` : ''}`
    message = `settings: name ${now}`
    log.push(
      r.changed
        ? `you are now "${now}" (was "${r.before}"): changed in peerfeed.yaml and in your key's user ID with a new self-certification; same key, same fingerprint ${r.fingerprint}. The next build publishes the updated key.`
        : `your name is already "${now}"; nothing to change`,
    )
  } else {
    const { selfFingerprint } = await import('../identity/index.ts')
    fingerprint = (await selfFingerprint(layout))!
    message = 'settings'
    if (url === undefined && !opts.examples) log.push(`your key ${fingerprint} already exists; nothing to do`)
  }
  if (url !== undefined) {
    const before = (await loadConfig(layout)).url
    if (before !== url) {
      await saveConfig(layout, { url })
      log.push(`your site's address is ${url} (url: in peerfeed.yaml): feeds and outbox.json carry absolute ids from the next build`)
      if (hasIdentity && message === 'settings') message = `settings: url ${url}`
    }
  }
  const paths = [...INIT_PATHS]
  if (opts.examples) {
    const n = await copyExamples(layout)
    log.push(
      n
        ? `copied ${n} example files into feed/ (delete them before you publish, or keep them as a start)`
        : 'the example posts are already in feed/',
    )
    paths.push('feed')
  }
  let commit: string | undefined
  if (opts.commit !== false) {
    try {
      commit = await commitChanges(layout.root, paths, message)
      if (commit) log.push(`committed ${commit.slice(0, 10)} (${message}); \`git push\` backs up your feed, friends and groups`)
    } catch (e) {
      log.push(`not committed: ${(e as Error).message}`)
    }
  }
  return { log, fingerprint, commit }
}

/** Copies docs/examples/feed into feed/, never over an existing file; returns how many files were copied. */
async function copyExamples(layout: Layout): Promise<number> {
  let n = 0
  for (const f of await fs.readdir(EXAMPLES, { recursive: true })) {
    const from = path.join(EXAMPLES, f)
    if (!(await fs.stat(from)).isFile()) continue
    try {
      await writeFileAtomic(path.join(layout.feed, f), await fs.readFile(from), { exclusive: true })
      n++
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
  }
  return n
}
