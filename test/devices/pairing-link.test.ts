// The pairing link of `device add`, over real HTTP on 127.0.0.1: served once at a secret path, refused to anyone
// else with a bare 404, closed after its time; `device join URL` through the real CLI with a key too big for a QR code.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import * as openpgp from 'openpgp'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readPublicKey, readSecretKey } from '../../src/crypto/index.ts'
import { QR_MAX_BYTES } from '../../src/identity/devices.ts'
import { fetchPairingLink, servePairingLink } from '../../src/identity/pairing-link.ts'
import { BIN, cli, git, tempDir } from '../helpers/index.ts'

const test = suite('device pairing link')
const PASS = 'correct horse battery staple'
const BODY = '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnot really a key\n-----END PGP PRIVATE KEY BLOCK-----\n'
let dir: string

/** A request that never throws: the status and body, or the network error's code. */
async function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(30_000) })
    return { status: r.status, body: await r.text() }
  } catch (e) {
    return { error: String(((e as Error).cause as { code?: string })?.code ?? (e as Error).message) }
  }
}
const otherToken = (url: string) => url.replace(/\/pair\/(.)/, (_, c) => `/pair/${c === 'A' ? 'B' : 'A'}`)

/** `peerfeed ARGS` left running, its output collected as it comes. */
function start(args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out = { stdout: '', stderr: '' }
  child.stdout!.on('data', (d) => (out.stdout += d))
  child.stderr!.on('data', (d) => (out.stderr += d))
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  const link = async (): Promise<string> => {
    const until = Date.now() + 120_000
    for (;;) {
      const m = /http:\/\/127\.0\.0\.1:\d+\/pair\/[A-Za-z0-9_-]{43}/.exec(out.stdout)
      if (m && out.stdout.includes('Waiting for it to be fetched')) return m[0]
      if (Date.now() > until || child.exitCode !== null) throw new Error(`no link printed:\n${out.stdout}\n${out.stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, out, exit, link }
}

test.before(async () => {
  dir = await tempDir('peerfeed-pairing-')
})

test.after(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

test('served once: a wrong token and another path get the same empty 404, the right one the export, a second fetch nothing', async () => {
  const refused: string[] = []
  const link = await servePairingLink({ body: BODY, host: '127.0.0.1', ttlMs: 120_000, onRefused: (f) => refused.push(f) })
  assert.match(link.url, /^http:\/\/127\.0\.0\.1:\d+\/pair\/[A-Za-z0-9_-]{43}$/)
  const wrong = await get(otherToken(link.url))
  const elsewhere = await get(new URL('/', link.url).href)
  const short = await get(link.url.slice(0, -1))
  assert.equal(wrong, { status: 404, body: '' })
  assert.equal(elsewhere, wrong, 'no hint: a wrong token looks like any other path')
  assert.equal(short, wrong)
  assert.is(refused.length, 3)
  const right = await get(link.url)
  assert.equal(right, { status: 200, body: BODY })
  assert.equal(await link.done, { fetched: true, by: '127.0.0.1' })
  const again = await get(link.url)
  assert.ok('error' in again || again.status === 404, `a second fetch got ${JSON.stringify(again)}`)
  assert.not.ok('body' in again && again.body.includes('PGP'))
})

test('the link expires: the server stops after its time and a join is told what to do', async () => {
  const link = await servePairingLink({ body: BODY, host: '127.0.0.1', ttlMs: 200 })
  assert.equal(await link.done, { fetched: false })
  const r = await get(link.url)
  assert.ok('error' in r, `an expired link still answered: ${JSON.stringify(r)}`)
  try {
    await fetchPairingLink(link.url)
    assert.unreachable('fetched an expired link')
  } catch (e) {
    assert.is((e as { code?: string }).code, 'LINK_UNREACHABLE')
    assert.match((e as Error).message, 'device add')
  }
})

/** A feed whose key is larger than PeerFeed makes: several user IDs and subkeys (as an imported GnuPG key may be). */
async function feedWithKey(root: string, userIds: number, subkeys: number) {
  await fs.mkdir(path.join(root, 'keys'), { recursive: true })
  await fs.mkdir(path.join(root, '.peerfeed'), { mode: 0o700 })
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: Array.from({ length: userIds }, (_, i) => ({ name: 'Ada', email: `ada${i}@example.org` })),
    subkeys: Array.from({ length: subkeys }, () => ({})),
    format: 'armored',
  })
  await fs.writeFile(path.join(root, 'keys', 'self.asc'), publicKey)
  await fs.writeFile(path.join(root, '.peerfeed', 'self.secret.asc'), privateKey, { mode: 0o600 })
  const init = await cli(['init', '--root', root, '--name', 'Ada'])
  assert.is(init.code, 0, init.stderr)
}

test('an export too big for a level-M code but within QR_MAX_BYTES is still drawn (level L)', async () => {
  const D = path.join(dir, 'D')
  await feedWithKey(D, 4, 4)
  const out = path.join(dir, 'mid.secret.asc')
  const r = await cli(['device', 'add', '--root', D, '--out', out], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(r.code, 0, r.stderr)
  const size = (await fs.stat(out)).size
  assert.ok(size > 2331 && size <= QR_MAX_BYTES, `the export is ${size} bytes: between level M's 2,331 and ${QR_MAX_BYTES}`)
  assert.match(r.stdout, '▀', 'drawn as a QR code')
  assert.not.match(r.stdout, 'too big')
})

test('a key too big for a QR code: device add offers the link by itself, device join URL takes it', async () => {
  const A = path.join(dir, 'A')
  await feedWithKey(A, 8, 6)
  await git(dir, 'init', '-q', '--bare', 'origin.git')
  await git(A, 'remote', 'add', 'origin', path.join(dir, 'origin.git'))
  await git(A, 'push', '-q', '-u', 'origin', 'HEAD')
  await git(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'B')
  const B = path.join(dir, 'B')

  const add = start(['device', 'add', '--root', A, '--bind', '127.0.0.1'], { cwd: dir, env: { PEERFEED_PASSPHRASE: PASS } })
  const url = await add.link()
  assert.match(add.out.stdout, 'too big for a QR code')
  assert.match(add.out.stdout, `peerfeed device join ${url}`)
  assert.match(add.out.stdout, '▀', 'a QR code of the link')
  const exported = await fs.readFile(path.join(dir, 'peerfeed-device.secret.asc'), 'utf8')
  assert.ok(Buffer.byteLength(exported) > QR_MAX_BYTES, `the export is ${Buffer.byteLength(exported)} bytes`)

  assert.equal(await get(otherToken(url)), { status: 404, body: '' })
  const joined = await cli(['device', 'join', url, '--root', B], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(joined.code, 0, joined.stderr)
  assert.match(joined.stdout, 'this device now holds your key')
  assert.is(await add.exit, 0, add.out.stderr)
  assert.match(add.out.stdout, 'the export was fetched by 127.0.0.1')
  assert.match(add.out.stderr, 'refused a request from 127.0.0.1')

  // what travelled is the protected export, byte for byte, and it is this feed's key
  const stored = await fs.readFile(path.join(B, '.peerfeed', 'self.secret.asc'), 'utf8')
  assert.is(stored, exported)
  assert.is((await fs.stat(path.join(B, '.peerfeed', 'self.secret.asc'))).mode & 0o777, 0o600)
  const key = await readSecretKey(stored, { passphrase: PASS })
  const pub = await readPublicKey(await fs.readFile(path.join(B, 'keys', 'self.asc'), 'utf8'))
  assert.is(key.fingerprint, pub.fingerprint)

  const again = await get(url)
  assert.ok('error' in again || again.status === 404, `a second fetch got ${JSON.stringify(again)}`)
})

test('an unfetched link closes after --link-minutes; device join URL then gets nothing and writes nothing', async () => {
  const C = path.join(dir, 'C')
  await git(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'C')
  const add = start(
    [
      'device',
      'add',
      '--root',
      path.join(dir, 'A'),
      '--bind',
      '127.0.0.1',
      '--link',
      '--link-minutes',
      '0.02',
      '--out',
      path.join(dir, 'unused.secret.asc'),
    ],
    {
      cwd: dir,
      env: { PEERFEED_PASSPHRASE: PASS },
    },
  )
  const url = await add.link()
  assert.is(await add.exit, 1)
  assert.match(add.out.stderr, 'the pairing link was not fetched and is closed')
  const r = await cli(['device', 'join', url, '--root', C], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(r.code, 1)
  assert.match(r.stderr, 'cannot reach')
  await assert.not.ok(await fs.stat(path.join(C, '.peerfeed', 'self.secret.asc')).catch(() => false))
})

test('device add --out alone never serves a link (the non-interactive form), even for a key too big for a QR code', async () => {
  const out = path.join(dir, 'usb.secret.asc')
  const r = await cli(['device', 'add', '--root', path.join(dir, 'A'), '--out', out], { env: { PEERFEED_PASSPHRASE: PASS } })
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, 'move the file itself')
  assert.not.match(r.stdout, '/pair/')
})

test('device join URL stops reading a link that sends more than an export (chunked, no length given)', async () => {
  const http = await import('node:http')
  let sent = 0
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }) // chunked: no content-length to refuse up front
    const chunk = Buffer.alloc(64 * 1024, 'A')
    const more = () => {
      while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length
      if (sent < 64 * 1024 * 1024) res.once('drain', more)
      else res.end()
    }
    res.on('close', () => res.removeAllListeners('drain'))
    more()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/pair/x`
    const err = await fetchPairingLink(url).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    )
    assert.is(err?.code, 'LINK_NOT_EXPORT')
    assert.match(err!.message, /more than an export/)
    assert.ok(sent < 16 * 1024 * 1024, `stopped early, not after the whole body (${sent} bytes sent)`)
  } finally {
    server.closeAllConnections()
    server.close()
  }
})

test.run()
