// A throwaway GnuPG home for interop tests: `const g = await gpgHome()`, `await g.run([...])`, `await g.close()`.
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface GpgResult { code: number; stdout: string; stderr: string }

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
  const run = (args: string[], input?: string | Uint8Array) => new Promise<GpgResult>((resolve, reject) => {
    const child = spawn('gpg', ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    // a command may exit without reading its input: a closed pipe is not a test failure
    child.stdin.on('error', () => {})
    child.stdin.end(input ?? '')
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
