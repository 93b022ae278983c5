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
  /**
   * A key of a common kind, as gpg makes it: 'rsa' is gpg's default (RSA 3072 + RSA 3072 encryption subkey),
   * 'ed25519' adds a cv25519 subkey, 'nistp256'/'nistp384' an ECDH subkey on the same curve. Returns its fingerprint.
   */
  makeKeyOf(kind: GpgKeyKind, uid: string, opts?: { encrypt?: boolean; expire?: string }): Promise<string>
  /** The armored public key of a fingerprint. */
  exportPublic(fpr: string): Promise<string>
  /** The armored secret key of a fingerprint (unprotected: made with an empty passphrase). */
  exportSecret(fpr: string): Promise<string>
  close(): Promise<void>
}

export type GpgKeyKind = 'rsa' | 'ed25519' | 'nistp256' | 'nistp384'

export async function gpgHome(): Promise<GpgHome> {
  // Short path: gpg-agent's socket path must fit in 108 bytes.
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'pfgpg-'))
  await fs.chmod(home, 0o700)
  const run = (args: string[], input?: string | Uint8Array): Promise<GpgResult> =>
    runCommand('gpg', ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      env: { ...process.env, GNUPGHOME: home },
      input,
    })
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
      const fpr = listed.stdout
        .split('\n')
        .find((l) => l.startsWith('fpr:'))!
        .split(':')[9]
      if (encrypt) await must(['--quick-add-key', fpr, 'cv25519', 'encr', 'never'])
      return fpr.toLowerCase()
    },
    async makeKeyOf(kind, uid, { encrypt = true, expire = 'never' } = {}) {
      if (kind === 'rsa') await must(['--quick-gen-key', uid, encrypt ? 'default' : 'rsa3072', encrypt ? 'default' : 'sign', expire])
      else await must(['--quick-gen-key', uid, kind, 'sign', expire])
      const listed = await must(['--with-colons', '--list-keys', uid])
      const fpr = listed.stdout
        .split('\n')
        .find((l) => l.startsWith('fpr:'))!
        .split(':')[9]
      if (encrypt && kind !== 'rsa') await must(['--quick-add-key', fpr, kind === 'ed25519' ? 'cv25519' : kind, 'encr', expire])
      return fpr.toLowerCase()
    },
    async exportPublic(fpr) {
      return (await must(['--armor', '--export', fpr.toUpperCase()])).stdout
    },
    async exportSecret(fpr) {
      return (await must(['--armor', '--export-secret-keys', fpr.toUpperCase()])).stdout
    },
    async close() {
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' })
      } catch {
        /* no agent started */
      }
      await fs.rm(home, { recursive: true, force: true })
    },
  }
}
