// A throwaway GnuPG home for interop tests: `const g = await gpgHome()`, `await g.run([...])`, `await g.close()`.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { run as runCommand, type CliResult } from './index.ts'

export type GpgResult = CliResult

export interface GpgHome {
  home: string
  /** gpg --batch --pinentry-mode loopback --passphrase '' ARGS; never throws on a non-zero exit. */
  run(args: string[], input?: string | Uint8Array): Promise<GpgResult>
  /** Creates an ed25519 signing key with a cv25519 encryption subkey (or none); returns its fingerprint. */
  makeKey(uid: string, opts?: { encrypt?: boolean }): Promise<string>
  close(): Promise<void>
}

export async function gpgHome(): Promise<GpgHome> {
  // Short path: gpg-agent's socket path must fit in 108 bytes.
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'pfgpg-'))
  await fs.chmod(home, 0o700)
  const run = (args: string[], input?: string | Uint8Array): Promise<GpgResult> =>
    runCommand('gpg', ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env: { ...process.env, GNUPGHOME: home }, input })
  const must = async (args: string[], input?: string | Uint8Array) => {
    const r = await run(args, input)
    if (r.code !== 0) throw new Error(`gpg ${args.join(' ')} failed: ${r.stderr}`)
    return r
  }
  return {
    home,
    run,
    async makeKey(uid, { encrypt = true } = {}) {
      await must(['--quick-gen-key', uid, 'ed25519', 'sign', 'never'])
      const listed = await must(['--with-colons', '--list-keys', uid])
      const fpr = listed.stdout.split('\n').find((l) => l.startsWith('fpr:'))!.split(':')[9]
      if (encrypt) await must(['--quick-add-key', fpr, 'cv25519', 'encr', 'never'])
      return fpr.toLowerCase()
    },
    async close() {
      try { execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' }) } catch { /* no agent started */ }
      await fs.rm(home, { recursive: true, force: true })
    },
  }
}
