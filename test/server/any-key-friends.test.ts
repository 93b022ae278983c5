// Friends with any common OpenPGP key (gpg's default RSA, ed25519+cv25519, NIST P-256 and P-384): one build serves
// them all, each reads their pages through POST /api/v1/updates with gpg alone, and through a static host with PeerFeed.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import httpServer from 'http-server'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { recipientKeyIds } from '../../src/crypto/index.ts'
import { addPeer } from '../../src/identity/index.ts'
import { gpgHome, type GpgHome, type GpgKeyKind } from '../helpers/gpg.ts'
import { tempDir } from '../helpers/index.ts'
import { makeFeed, makeFeedIn, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'

const test = suite('friends with any common OpenPGP key')
const t = testIf(test, need.gpg())
const KINDS: GpgKeyKind[] = ['rsa', 'ed25519', 'nistp256', 'nistp384']
let alice: TestFeed
let g: GpgHome
let serverUrl: string
const fprs = new Map<GpgKeyKind, string>()
const closers: (() => Promise<unknown> | unknown)[] = []

test.before(async () => {
  if (!need.gpg().ok) return
  alice = await makeFeed('alice')
  g = await gpgHome()
  for (const kind of KINDS) {
    const fpr = await g.makeKeyOf(kind, `Friend ${kind} <${kind}@example.org>`)
    fprs.set(kind, fpr)
    const file = path.join(g.home, `${kind}.asc`)
    await fs.writeFile(file, await g.exportPublic(fpr))
    await addPeer(alice.layout, kind, file)
    await alice.post({ text: `only for ${kind}`, to: [kind] })
  }
  await alice.group('everyone', KINDS)
  await alice.post({ text: 'for the whole group', to: ['everyone'] })
  await alice.post({ text: 'public words' })
  await alice.build()
  serverUrl = (await alice.serve()).url
})

test.after(async () => {
  for (const c of closers.reverse()) await c()
  await g?.close()
  await alice?.close()
})

async function gpgUpdates(fpr: string, since: string | null) {
  const req = JSON.stringify({
    since,
    limit: 500,
    nonce: crypto.randomBytes(16).toString('hex'),
    sentAt: new Date().toISOString(),
    server: alice.fingerprint,
  })
  const enc = await g.run(
    [
      '--trust-model',
      'always',
      '--compress-algo',
      'none',
      '--armor',
      '--sign',
      '--local-user',
      fpr.toUpperCase(),
      '--encrypt',
      '--recipient',
      alice.fingerprint.toUpperCase(),
    ],
    req,
  )
  assert.is(enc.code, 0, enc.stderr)
  const res = await fetch(new URL('api/v1/updates', serverUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/pgp-encrypted' },
    body: enc.stdout,
  })
  assert.is(res.status, 200, await res.clone().text())
  return (await res.json()) as { pages: string[]; next: string | null }
}

for (const kind of KINDS) {
  t(`a friend with a gpg-made ${kind} key reads their pages through POST /api/v1/updates with gpg`, async () => {
    await g.run(['--import'], await (await fetch(new URL('key.asc', serverUrl))).text())
    const answer = await gpgUpdates(fprs.get(kind)!, null)
    assert.ok(answer.pages.length >= 2)
    const texts: string[] = []
    for (const page of answer.pages) {
      const dec = await g.run(['--status-fd', '2', '--decrypt'], page)
      assert.is(dec.code, 0, dec.stderr)
      assert.match(dec.stderr, new RegExp(`VALIDSIG .* ${alice.fingerprint.toUpperCase()}`))
      texts.push(...(JSON.parse(dec.stdout) as { entries: { post?: { text?: string } }[] }).entries.map((e) => e.post?.text ?? ''))
    }
    assert.equal(texts.sort(), ['for the whole group', `only for ${kind}`])
    assert.equal(await gpgUpdates(fprs.get(kind)!, answer.next), { pages: [], next: null })
  })
}

t('friends without X25519 get one anonymous box each in p/boxes.json; a cv25519 friend needs none', async () => {
  const boxes = JSON.parse(await fs.readFile(path.join(alice.layout.dist, 'p/boxes.json'), 'utf8')) as { v: number; boxes: string[] }
  assert.is(boxes.v, 1)
  assert.is(boxes.boxes.length, 3)
  for (const b of boxes.boxes) assert.equal(recipientKeyIds(b), ['0000000000000000'])
  // one box for each friend whose key has no X25519 subkey, signed by the owner
  const named: string[] = []
  for (const b of boxes.boxes) {
    const dec = await g.run(['--status-fd', '2', '--decrypt'], b)
    assert.is(dec.code, 0, dec.stderr)
    assert.match(dec.stderr, new RegExp(`VALIDSIG .* ${alice.fingerprint.toUpperCase()}`))
    const box = JSON.parse(dec.stdout) as { v: number; owner: string; friend: string; nameKey: string }
    assert.is(box.owner, alice.fingerprint)
    assert.match(box.nameKey, /^[0-9a-f]{64}$/)
    named.push(box.friend)
  }
  assert.equal(named.sort(), [fprs.get('rsa'), fprs.get('nistp256'), fprs.get('nistp384')].sort())
  // a second build changes nothing in the boxes (no re-encryption, stable dist/)
  await alice.post({ text: 'one more public post' })
  await alice.build()
  const again = JSON.parse(await fs.readFile(path.join(alice.layout.dist, 'p/boxes.json'), 'utf8')) as { boxes: string[] }
  assert.equal(again.boxes, boxes.boxes)
})

t('from docs/page-names.md alone, gpg and an HMAC: the RSA friend finds its box, its index and its pages on the host', async () => {
  const get = async (p: string) => {
    const res = await fetch(new URL(p, serverUrl))
    assert.is(res.status, 200, p)
    return res.text()
  }
  const rsaFpr = fprs.get('rsa')!
  const decrypt = async (msg: string) => {
    const dec = await g.run(['--status-fd', '2', '--decrypt'], msg)
    assert.is(dec.code, 0, dec.stderr)
    assert.match(dec.stderr, new RegExp(`VALIDSIG .* ${alice.fingerprint.toUpperCase()}`))
    return JSON.parse(dec.stdout)
  }
  // this gpg home holds every friend's secret key, so keep the box that names the RSA friend
  const boxes = (JSON.parse(await get('p/boxes.json')) as { boxes: string[] }).boxes
  let nameKey: Buffer | undefined
  for (const b of boxes) {
    const box = await decrypt(b)
    if (box.owner === alice.fingerprint && box.friend === rsaFpr) nameKey = Buffer.from(box.nameKey, 'hex')
  }
  assert.ok(nameKey)
  const name = (label: string) => crypto.createHmac('sha256', nameKey!).update(label).digest().subarray(0, 16).toString('hex')
  const index = await decrypt(await get(`p/${name('index')}.asc`))
  assert.is(index.owner, alice.fingerprint)
  const texts: string[] = []
  for (const ref of index.pages as { name: string; audience: string }[]) {
    const page = await decrypt(await get(`p/${ref.name}.asc`))
    texts.push(...(page.entries as { post?: { text?: string } }[]).map((e) => e.post?.text ?? ''))
  }
  assert.ok(texts.includes('only for rsa'), texts.join(' | '))
  assert.ok(texts.includes('for the whole group'))
  // the friend's own pages are named with the same key: page:<start cursor> (docs/page-names.md)
  assert.ok((index.pages as { name: string; audience: string; first: string }[]).some((p) => p.audience === 'you'))
})

for (const kind of ['rsa', 'nistp256', 'ed25519'] as GpgKeyKind[]) {
  t(`a PeerFeed user whose own key is a gpg-made ${kind} key syncs their posts from a plain static host`, async () => {
    const root = await tempDir(`peerfeed-${kind}-`)
    closers.push(() => fs.rm(root, { recursive: true, force: true }))
    await fs.mkdir(path.join(root, 'keys'), { recursive: true })
    await fs.mkdir(path.join(root, '.peerfeed'), { recursive: true, mode: 0o700 })
    await fs.writeFile(path.join(root, 'keys/self.asc'), await g.exportPublic(fprs.get(kind)!))
    await fs.writeFile(path.join(root, '.peerfeed/self.secret.asc'), await g.exportSecret(fprs.get(kind)!), { mode: 0o600 })
    const friend = await makeFeedAt(root)
    await addPeer(friend.layout, 'alice', alice.layout.selfPublicKey)
    const hs = httpServer.createServer({ root: await fs.realpath(alice.layout.dist), showDir: 'false', cache: -1 })
    await new Promise<void>((r) => hs.listen(0, '127.0.0.1', r))
    closers.push(() => {
      hs.server.closeAllConnections()
      hs.close()
    })
    await friend.follow('alice', `http://127.0.0.1:${(hs.server.address() as AddressInfo).port}/`)
    const summary = await friend.sync()
    const report = JSON.stringify(summary)
    const dir = path.join(root, 'inbox/alice')
    const files = (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.yaml'))
    const text = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join('\n')
    assert.match(text, `only for ${kind}`, report)
    assert.match(text, 'for the whole group')
    assert.match(text, 'public words')
    for (const other of KINDS.filter((k) => k !== kind)) assert.not.match(text, `only for ${other}`)
  })
}

/** A TestFeed in a folder that already holds its keys (makeFeed keeps an identity it finds). */
async function makeFeedAt(root: string): Promise<TestFeed> {
  const f = await makeFeedIn(root, 'friend')
  closers.push(() => f.close())
  return f
}

test.run()
