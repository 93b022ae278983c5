// A key's life seen by a friend: revocation (init's certificate, gpg accepts it, sync honours it), a revoked or
// expired friend gets nothing new, and rotation followed through the API and a static host; forged ones refused.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import httpServer from 'http-server'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildFeed } from '../../src/build/build.ts'
import { generateIdentity, readPublicKey, readSecretKey, signDetached } from '../../src/crypto/index.ts'
import { signRotation } from '../../src/crypto/key-life.ts'
import { checkIdentity } from '../../src/identity/index.ts'
import { revocationFile, revokeSelf, rotateSelf } from '../../src/identity/key-life.ts'
import { initFeed } from '../../src/posts/init-feed.ts'
import { layout } from '../../src/paths.ts'
import { ROTATION_PATH } from '../../src/protocol/wire.ts'
import type { BuildManifest } from '../../src/protocol/build-manifest.ts'
import { liveBuild } from '../../src/build/state.ts'
import { tempDir } from '../helpers/index.ts'
import { gpgHome } from '../helpers/gpg.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { need, testIf } from '../helpers/tools.ts'

const test = suite('key life')
const t = testIf(test, need.gpg())
const closers: (() => Promise<void> | void)[] = []

test.after(async () => {
  for (const c of closers.reverse()) await c()
})

async function pair(a: string, b: string): Promise<[TestFeed, TestFeed]> {
  const [x, y] = await Promise.all([makeFeed(a), makeFeed(b)])
  closers.push(
    () => x.close(),
    () => y.close(),
  )
  await x.befriend(y)
  await y.befriend(x)
  return [x, y]
}

async function staticHost(dir: string): Promise<string> {
  // the dist symlink itself, so the host serves whichever tree the last build made live
  const hs = httpServer.createServer({ root: dir, showDir: 'false', cache: -1 })
  await new Promise<void>((r) => hs.listen(0, '127.0.0.1', r))
  closers.push(() => {
    hs.server.closeAllConnections()
    hs.close()
  })
  return `http://127.0.0.1:${(hs.server.address() as AddressInfo).port}/`
}

t('init keeps a revocation certificate beside the secret key, and gpg accepts it and shows the key revoked', async () => {
  const l = layout(await tempDir('peerfeed-revcert-'))
  closers.push(() => fs.rm(l.root, { recursive: true, force: true }))
  const r = await initFeed(l, { name: 'Ada' })
  assert.ok(
    r.log.some((line) => line.includes('self.revocation.asc') && line.includes('offline')),
    r.log.join('\n'),
  )
  assert.is(path.dirname(revocationFile(l)), path.dirname(l.selfSecretKey))
  assert.is((await fs.stat(revocationFile(l))).mode & 0o777, 0o600)
  const g = await gpgHome()
  closers.push(() => g.close())
  assert.is((await g.run(['--import', l.selfPublicKey])).code, 0)
  const before = await g.run(['--with-colons', '--list-keys', r.fingerprint.toUpperCase()])
  assert.match(before.stdout, /^pub:[^r]/m, 'not revoked before')
  const imp = await g.run(['--import', revocationFile(l)])
  assert.is(imp.code, 0, imp.stderr)
  assert.match(imp.stderr, 'revocation')
  const after = await g.run(['--with-colons', '--list-keys', r.fingerprint.toUpperCase()])
  assert.match(after.stdout, /^pub:r:/m, after.stdout)
  // and the key `key revoke` publishes is revoked for gpg too
  await revokeSelf(l)
  const g2 = await gpgHome()
  closers.push(() => g2.close())
  await g2.run(['--import', l.selfPublicKey])
  assert.match((await g2.run(['--with-colons', '--list-keys'])).stdout, /^pub:r:/m)
})

test('a revoked key: the friend keeps what it had, takes nothing new, and is told', async () => {
  const [ada, bob] = await pair('ada', 'bob')
  const first = await ada.post({ text: 'before the revocation', to: ['bob'] })
  await ada.build()
  const server = await ada.serve()
  await bob.follow('ada', server.url)
  assert.is((await bob.sync()).new, 1)

  const r = await revokeSelf(ada.layout)
  assert.not.ok(r.certificateMade, 'init made the certificate')
  await ada.post({ text: 'after the revocation', to: ['bob'] })
  await ada.build()
  assert.ok(
    (await readPublicKey(await fs.readFile(path.join(ada.layout.dist, 'key.asc'), 'utf8'))).revoked,
    '/key.asc carries the revocation',
  )
  const s = await bob.sync()
  assert.is(s.friends[0].error?.code, 'KEY_REVOKED', JSON.stringify(s.friends[0]))
  assert.match(s.friends[0].error!.message, 'stays in inbox/ada/')
  assert.equal(await bob.inbox('ada'), [first])
  assert.ok(
    (await readPublicKey(await fs.readFile(path.join(bob.layout.keys, 'ada.asc'), 'utf8'))).revoked,
    'keys/ada.asc now says revoked',
  )
  const problems = await checkIdentity(bob.layout)
  assert.ok(
    problems.some((p) => p.message.includes('"ada" is revoked')),
    JSON.stringify(problems),
  )
  // the next sync stops before asking anything
  assert.is((await bob.sync()).friends[0].error?.code, 'KEY_REVOKED')
})

test('a revoked or expired friend gets nothing new encrypted to them', async () => {
  const [ada, bob] = await pair('ada', 'bob')
  const carol = await makeFeed('carol')
  closers.push(() => carol.close())
  await ada.befriend(carol)
  await revokeSelf(carol.layout)
  await fs.copyFile(carol.layout.selfPublicKey, path.join(ada.layout.keys, 'carol.asc')) // Ada gets Carol's revocation
  const old = await generateIdentity({ name: 'Dave', date: new Date(Date.now() - 86_400_000), expiresIn: 3600 })
  await fs.writeFile(path.join(ada.layout.keys, 'dave.asc'), old.publicArmored)
  await ada.group('all', ['bob', 'carol', 'dave'])
  await ada.post({ text: 'to carol', to: ['carol'] })
  await ada.post({ text: 'to dave', to: ['dave'] })
  await ada.post({ text: 'to all', to: ['all'] })
  await buildFeed(ada.layout)
  const manifest = JSON.parse(await fs.readFile(liveBuild(ada.layout).manifest, 'utf8')) as BuildManifest
  const carolFp = (await readPublicKey(await fs.readFile(path.join(ada.layout.keys, 'carol.asc'), 'utf8'))).fingerprint
  assert.not.ok(
    manifest.audiences.some((a) => a.key === 'friend:carol' || a.key === 'friend:dave'),
    'no audience for them',
  )
  const all = manifest.audiences.find((a) => a.key === 'group:all')!
  assert.equal(all.members, [bob.fingerprint], 'the group is encrypted to Bob alone')
  assert.not.ok(all.members.includes(carolFp))
})

async function rotationCase(route: 'api' | 'static') {
  const [ada, bob] = await pair(`ada${route}`, 'bob')
  const name = `ada${route}`
  await ada.post({ text: 'with the old key', to: ['bob'] })
  await ada.build()
  let server = route === 'api' ? await ada.serve() : undefined
  await bob.follow(name, server ? server.url : await staticHost(ada.layout.dist))
  assert.is((await bob.sync()).new, 1)
  const oldFp = ada.fingerprint

  const r = await rotateSelf(ada.layout)
  assert.is(r.old, oldFp)
  const fresh = await ada.post({ text: 'with the new key', to: ['bob'] })
  await ada.build()
  if (server) {
    // a server started after the rotation also holds the old secret (.peerfeed/old-keys/); one that runs through
    // the rotation is test/devices/rotation-answers.test.ts
    await server.close()
    server = await ada.serve()
    await bob.follow(name, server.url)
  }
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.ok(
    s.friends[0].notes.some((n) => n.includes('new key')),
    JSON.stringify(s.friends[0].notes),
  )
  assert.is(s.new, 1)
  assert.ok((await bob.inbox(name)).includes(fresh))
  assert.is((await readPublicKey(await fs.readFile(path.join(bob.layout.keys, `${name}.asc`), 'utf8'))).fingerprint, r.new)
  assert.is(
    (await readPublicKey(await fs.readFile(path.join(bob.layout.keys, 'history', `${name}-${oldFp}.asc`), 'utf8'))).fingerprint,
    oldFp,
  )
  // syncing again: nothing new, no second note
  const again = await bob.sync()
  assert.is(again.new + again.updated, 0)
  assert.is(again.friends[0].notes.filter((n) => n.includes('new key')).length, 0)

  // a forged rotation: Mallory puts her own key on Ada's site with a statement signed only by herself
  const mallory = await generateIdentity({ name: 'Ada' })
  const mk = await readSecretKey(mallory.secretArmored)
  const body = JSON.stringify({
    v: 1,
    type: 'peerfeed-key-rotation',
    old: r.new,
    new: mallory.fingerprint,
    date: new Date().toISOString(),
    key: mallory.publicArmored,
  })
  const forged = [
    {
      v: 1,
      statement: body,
      signatures: { old: await signDetached({ data: body, signer: mk }), new: await signDetached({ data: body, signer: mk }) },
    },
  ]
  const dist = await fs.realpath(ada.layout.dist)
  await fs.writeFile(path.join(dist, 'key.asc'), mallory.publicArmored)
  await fs.writeFile(path.join(dist, ROTATION_PATH), JSON.stringify(forged))
  const before = await fs.readFile(path.join(bob.layout.keys, `${name}.asc`), 'utf8')
  const f = await bob.sync()
  assert.is(f.friends[0].error?.code, 'KEY_ROTATION_REFUSED', JSON.stringify(f.friends[0]))
  assert.match(f.friends[0].error!.message, 'not signed by the key you know')
  assert.is(await fs.readFile(path.join(bob.layout.keys, `${name}.asc`), 'utf8'), before, 'keys/NAME.asc untouched')
  // and a new key with no statement at all
  await fs.rm(path.join(dist, ROTATION_PATH))
  const g = await bob.sync()
  assert.is(g.friends[0].error?.code, 'KEY_ROTATION_REFUSED')
  assert.match(g.friends[0].error!.message, 'no signed hand-over')
}

test('a rotation is followed through the API route; a forged one is refused', () => rotationCase('api'))
test('a rotation is followed through a static host; a forged one is refused', () => rotationCase('static'))

test('the rotation statement needs both signatures', async () => {
  const a = await readSecretKey((await generateIdentity({ name: 'A' })).secretArmored)
  const b = await readSecretKey((await generateIdentity({ name: 'B' })).secretArmored)
  const { verifyRotation } = await import('../../src/crypto/key-life.ts')
  const good = await signRotation({ prev: a, next: b })
  assert.is((await verifyRotation({ rotation: good, from: a.publicKey })).fingerprint, b.fingerprint)
  const noNew = { ...good, signatures: { ...good.signatures, new: good.signatures.old } }
  try {
    await verifyRotation({ rotation: noNew, from: a.publicKey })
    assert.unreachable()
  } catch (e) {
    assert.is((e as { code: string }).code, 'ROTATION_NOT_SIGNED')
  }
})

test.run()
