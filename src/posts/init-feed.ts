// Creates a feed root: folders, a .gitignore that keeps secrets and build output out of git, a git repo, the identity.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { initRepo } from '../git.ts'
import type { Layout } from '../paths.ts'

/** Lines every feed's .gitignore must have: the secret key and local state, build output, the inbox. */
export const IGNORED = ['.peerfeed/', '*.secret.asc', 'dist', '.dist-*', 'inbox/', 'node_modules/']

export interface InitOptions { name?: string; email?: string; passphraseFile?: string; passphrase?: string }

export async function initFeed(layout: Layout, opts: InitOptions = {}): Promise<{ log: string[]; fingerprint: string }> {
  const log: string[] = []
  await fs.mkdir(layout.root, { recursive: true })
  for (const dir of [layout.feed, layout.keys, layout.groups]) {
    if (!(await exists(dir))) {
      await fs.mkdir(dir, { recursive: true })
      log.push(`created ${path.relative(layout.root, dir)}/`)
    }
  }
  const gitignore = path.join(layout.root, '.gitignore')
  const current = (await fs.readFile(gitignore, 'utf8').catch(() => ''))
  const have = new Set(current.split('\n').map((l) => l.trim()))
  const missing = IGNORED.filter((l) => !have.has(l))
  if (missing.length) {
    const sep = current && !current.endsWith('\n') ? '\n' : ''
    await writeFileAtomic(gitignore, `${current}${sep}${current ? '\n# added by peerfeed init\n' : ''}${missing.join('\n')}\n`)
    log.push(`${current ? 'added to' : 'created'} .gitignore: ${missing.join(' ')}`)
  }
  if (await initRepo(layout.root)) log.push('initialized a git repository')

  const { ensureIdentity, passphraseFrom } = await import('../identity/self.ts')
  const passphrase = opts.passphrase ?? (await passphraseFrom({ 'passphrase-file': opts.passphraseFile }))
  const name = opts.name ?? (os.userInfo().username || 'PeerFeed user')
  const id = await ensureIdentity(layout, { name, email: opts.email, passphrase })
  log.push(id.created
    ? `created your key ${id.fingerprint}: public keys/self.asc (commit it), secret ${path.relative(layout.root, layout.selfSecretKey)} (never leaves this machine)`
    : `your key ${id.fingerprint} already exists; nothing to do`)
  if (id.created) {
    const { revocationFile, REVOCATION_ADVICE } = await import('../identity/key-life.ts')
    log.push(`made a revocation certificate, ${path.relative(layout.root, revocationFile(layout))}: ${REVOCATION_ADVICE}`)
  }
  return { log, fingerprint: id.fingerprint }
}
