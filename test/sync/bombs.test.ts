// Decompression bombs on the reading side: anyone on the route (a relay, a static host) can encrypt a 4 GB bzip2
// page to a follower from their public key. `peerfeed sync` (a real child process) refuses each one and stays small.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { friendIndexName, friendNameKey } from '../../src/build/page-names.ts'
import { liveBuild } from '../../src/build/state.ts'
import type { BuildManifest } from '../../src/protocol/build-manifest.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { bzip2Bomb } from '../helpers/bombs.ts'
import { guardedCli } from '../helpers/guarded-run.ts'
import { tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { relay, type Relay, type RelayRule } from '../helpers/relay.ts'

const test = suite('sync: decompression bombs')
const PEAK_MB = 300
let alice: TestFeed, bob: TestFeed, honest: RunningServer, bomb: string
let indexName: string, pageNames: Set<string>
const relays: Relay[] = []
const cleanup: string[] = []

test.before(async () => {
  ;[alice, bob] = await Promise.all([makeFeed('alice'), makeFeed('bob')])
  await alice.befriend(bob)
  await bob.befriend(alice)
  const dir = await tempDir('peerfeed-photo-')
  cleanup.push(dir)
  await fs.writeFile(path.join(dir, 'secret.png'), crypto.randomBytes(2000))
  await alice.post({ type: 'image', text: 'just us', to: ['bob'] }, { files: [{ source: path.join(dir, 'secret.png'), alt: 'a secret' }] })
  await alice.post({ text: 'status for bob', to: ['bob'] })
  await alice.build()
  honest = await alice.serve()
  bomb = await bzip2Bomb(bob.publicKey.armored, { gigabytes: 4 })
  indexName = friendIndexName(friendNameKey(alice.secretKey, bob.publicKey))
  const manifest = JSON.parse(await fs.readFile(liveBuild(alice.layout).manifest, 'utf8')) as BuildManifest
  pageNames = new Set(manifest.audiences.flatMap((a) => a.pages.map((p) => p.name)))
})
test.after(async () => {
  for (const r of relays) await r.close()
  for (const d of cleanup) await fs.rm(d, { recursive: true, force: true })
  await alice?.close()
  await bob?.close()
})

const notFound = { status: 404, body: 'Not Found', type: 'text/plain' }
const asc = (p: string) => /^\/p\/([0-9a-f]+)\.asc$/.exec(p)?.[1]

async function syncThrough(rule: RelayRule) {
  await fs.rm(bob.layout.inbox, { recursive: true, force: true })
  await fs.rm(path.join(bob.layout.state, 'sync'), { recursive: true, force: true })
  const r = await relay(honest.url, rule)
  relays.push(r)
  await bob.follow('alice', r.url)
  const run = await guardedCli(['sync', '--root', bob.layout.root, '--no-lan', '--no-dht'], { maxMb: PEAK_MB })
  assert.is(run.killedAtMb, undefined, `sync grew past ${PEAK_MB} MB (${run.killedAtMb} MB) and was killed`)
  assert.ok(run.peakMb < PEAK_MB, `peak ${run.peakMb} MB`)
  return run
}

test('a page from the API that inflates to 4 GB is refused', async () => {
  const run = await syncThrough(async (req, forward) =>
    req.path.startsWith('/api/v1/updates') ? { status: 200, body: JSON.stringify({ pages: [bomb], next: '1' }) } : forward(),
  )
  assert.match(run.stdout, /alice: FAILED \(a page was refused: the message expands past 16777216 bytes/)
})

test('a friend index on a static host that inflates to 4 GB is refused', async () => {
  const run = await syncThrough(async (req, forward) => {
    if (req.path.startsWith('/api/v1/')) return notFound
    return asc(req.path) === indexName ? { status: 200, body: bomb, type: 'text/plain' } : forward()
  })
  assert.match(run.stdout, /alice: FAILED \(our index on the friend's host was refused: the message expands past/)
})

test('pages behind a real index that inflate to 4 GB are refused', async () => {
  const run = await syncThrough(async (req, forward) => {
    if (req.path.startsWith('/api/v1/')) return notFound
    return pageNames.has(asc(req.path) ?? '') ? { status: 200, body: bomb, type: 'text/plain' } : forward()
  })
  assert.match(run.stdout, /alice: FAILED \(a page was refused: the message expands past/)
})

test('an attachment that inflates to 4 GB is rejected; the other post is stored', async () => {
  const run = await syncThrough(async (req, forward) => {
    const name = asc(req.path)
    return name && name !== indexName && !pageNames.has(name) ? { status: 200, body: bomb, type: 'text/plain' } : forward()
  })
  assert.is(run.code, 0, run.stdout + run.stderr)
  assert.match(run.stdout, /alice: 1 new, 0 updated, 0 deleted, 1 rejected/)
  assert.match(run.stdout, /attachment \S+\.png .*expands past 2000 bytes/, run.stdout)
  assert.equal((await bob.inbox('alice')).length, 1)
})

test.run()
