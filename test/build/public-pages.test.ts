// Public pages for the API: entries in cursor order, a manifest of their hashes signed by the owner.
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import { verifyDetached } from '../../src/crypto/index.ts'
import { entryHash } from '../../src/protocol/canonical.ts'
import type { Entry, PublicManifest } from '../../src/protocol/wire.ts'
import { writeTestPost } from '../helpers/feeds.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

let alice: TestFeed
const dir = () => path.join(alice.layout.dist, 'api/public')

async function readPublic() {
  const index = JSON.parse(await fs.readFile(path.join(dir(), 'index.json'), 'utf8'))
  const pages = []
  for (const ref of index.pages) {
    const page = JSON.parse(await fs.readFile(path.join(dir(), `${ref.name}.json`), 'utf8')) as { entries: Entry[] }
    const manifestText = await fs.readFile(path.join(dir(), `${ref.name}.manifest.json`), 'utf8')
    const signature = await fs.readFile(path.join(dir(), `${ref.name}.manifest.json.asc`), 'utf8')
    pages.push({ page, manifest: JSON.parse(manifestText) as PublicManifest, manifestText, signature })
  }
  return pages
}

test.before(async () => {
  alice = await makeFeed('alice')
  await alice.befriend(await makeFeed('bob'))
  await writeTestPost(alice, { text: 'public one' })
  await writeTestPost(alice, { text: 'private one', to: ['bob'] })
  await writeTestPost(alice, { type: 'link', url: 'https://example.org/', text: 'public two' })
})

test('public pages hold only public posts, each hash vouched for by a signed manifest', async () => {
  await buildFeed(alice.layout)
  const pages = await readPublic()
  const entries = pages.flatMap((p) => p.page.entries)
  assert.equal(
    entries.map((e) => e.post?.text),
    ['public one', 'public two'],
  )
  for (const p of pages) {
    const signer = await verifyDetached({ data: p.manifestText, signature: p.signature, signers: [alice.publicKey] })
    assert.is(signer.fingerprint, alice.fingerprint)
    assert.equal(p.page.entries.map(entryHash), p.manifest.hashes)
  }
})

test('an altered entry no longer matches the signed hashes', async () => {
  const [p] = await readPublic()
  const forged = { ...p.page.entries[0], post: { ...p.page.entries[0].post!, text: 'forged' } }
  assert.not.ok(p.manifest.hashes.includes(entryHash(forged)))
})

test('an edit re-signs the page and changes the entry; an unchanged build signs nothing', async () => {
  const stem = await writeTestPost(alice, { text: 'to be edited' })
  let r = await buildFeed(alice.layout)
  assert.is(r.stats.publicPagesSigned, 1)
  const file = (await fs.readdir(path.join(alice.layout.feed), { recursive: true })).find((f) => String(f).includes(stem))!
  const abs = path.join(alice.layout.feed, String(file))
  await fs.writeFile(abs, (await fs.readFile(abs, 'utf8')).replace('to be edited', 'edited'))
  r = await buildFeed(alice.layout)
  assert.is(r.stats.publicPagesSigned, 1)
  const texts = (await readPublic()).flatMap((p) => p.page.entries).map((e) => e.post?.text)
  assert.ok(texts.includes('edited'))
  assert.not.ok(texts.includes('to be edited'))
  await writeTestPost(alice, { text: 'private again', to: ['bob'] })
  r = await buildFeed(alice.layout)
  assert.is(r.stats.publicPagesSigned, 0)
})

test('the build after a build that added ledger lines finds nothing changed', async () => {
  await writeTestPost(alice, { text: 'one more' })
  const r = await buildFeed(alice.layout)
  assert.ok(r.changed)
  assert.is(r.stats.newVersions, 1)
  const again = await buildFeed(alice.layout)
  assert.is(again.changed, false, 'nothing changed since the last build, not even the ledger it wrote')
})

test.run()
