// Interop: a client made of the `gpg` command line and Node's fetch only (no PeerFeed code) runs the updates
// exchange of docs/protocol.md against a real server and reads the posts.
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { gpgHome, type GpgHome } from '../helpers/gpg.ts'
import { need, testIf } from '../helpers/tools.ts'
import { REPO, tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('gpg + fetch client')
const t = testIf(test, need.gpg())
let alice: TestFeed, bob: TestFeed, gpg: GpgHome | undefined

test.after(async () => {
  await gpg?.close()
  await alice?.close()
  await bob?.close()
})

t('a gpg-only client fetches, decrypts and verifies its pages', async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await alice.post({ text: 'hello bob, from alice', to: ['bob'] })
  await alice.post({ text: 'public hello' })
  await alice.build()
  const server = await alice.serve()
  gpg = await gpgHome()
  // Bob's PeerFeed secret key goes into gpg as is; Alice's public key comes from her server.
  const imported = await gpg.run(['--import'], await fs.readFile(bob.layout.selfSecretKey))
  assert.is(imported.code, 0, imported.stderr)
  const aliceKey = await (await fetch(new URL('key.asc', server.url))).text()
  assert.is((await gpg.run(['--import'], aliceKey)).code, 0)
  const ALICE = alice.fingerprint.toUpperCase()

  const req = JSON.stringify({
    since: null,
    limit: 500,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
  })
  const enc = await gpg.run(
    [
      '--trust-model',
      'always',
      '--compress-algo',
      'none',
      '--armor',
      '--sign',
      '--local-user',
      bob.fingerprint.toUpperCase(),
      '--encrypt',
      '--recipient',
      ALICE,
    ],
    req,
  )
  assert.is(enc.code, 0, enc.stderr)
  const res = await fetch(new URL('api/v1/updates', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/pgp-encrypted' },
    body: enc.stdout,
  })
  assert.is(res.status, 200, await res.clone().text())
  const answer = (await res.json()) as { pages: string[]; next: string | null }
  assert.is(answer.pages.length, 1)

  const texts: string[] = []
  for (const page of answer.pages) {
    const dec = await gpg.run(['--status-fd', '2', '--decrypt'], page)
    assert.is(dec.code, 0, dec.stderr)
    assert.match(dec.stderr, new RegExp(`VALIDSIG .* ${ALICE}`))
    const plain = JSON.parse(dec.stdout) as { owner: string; entries: { id: string; post?: { text?: string } }[] }
    assert.is(plain.owner, alice.fingerprint)
    texts.push(...plain.entries.map((e) => e.post?.text ?? ''))
  }
  assert.equal(texts, ['hello bob, from alice'])

  // Asking again with `next` gives nothing more: up to date.
  const again = JSON.stringify({
    since: answer.next,
    limit: 500,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
  })
  const enc2 = await gpg.run(
    [
      '--trust-model',
      'always',
      '--compress-algo',
      'none',
      '--armor',
      '--sign',
      '--local-user',
      bob.fingerprint.toUpperCase(),
      '--encrypt',
      '--recipient',
      ALICE,
    ],
    again,
  )
  const res2 = await fetch(new URL('api/v1/updates', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/pgp-encrypted' },
    body: enc2.stdout,
  })
  assert.equal(await res2.json(), { pages: [], next: null })
})

const shellTools = () => {
  const missing = ['bash', 'curl', 'jq', 'csplit', 'openssl'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0)
  return missing.length ? { ok: false, why: `missing ${missing.join(', ')}` } : need.gpg()
}

testIf(test, shellTools())('the worked example in docs/protocol.md runs as written', async () => {
  const doc = await fs.readFile(path.join(REPO, 'docs/protocol.md'), 'utf8')
  const block = /## Worked example[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)![1]
  const server = await alice.serve()
  const g = await gpgHome()
  let cwd: string | undefined
  try {
    assert.is((await g.run(['--import'], await fs.readFile(bob.layout.selfSecretKey))).code, 0)
    const script = block
      .replace('<bob fingerprint>', bob.fingerprint.toUpperCase())
      .replace('<alice fingerprint>', alice.fingerprint.toUpperCase())
      .replaceAll('http://alice.example:8080', server.url.replace(/\/$/, ''))
    cwd = await tempDir('peerfeed-doc-example-')
    // Asynchronously: the server answering curl lives in this process.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env: { ...process.env, GNUPGHOME: g.home } })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (status) => resolve({ status, stdout, stderr }))
    })
    assert.is(r.status, 0, r.stderr)
    assert.match(r.stdout, `VALIDSIG`)
    assert.match(r.stdout, '"text": "hello bob, from alice"')
  } finally {
    if (cwd) await fs.rm(cwd, { recursive: true, force: true })
    await g.close()
  }
})

test.run()
