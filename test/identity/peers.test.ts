import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addPeer, listPeers, removePeer, addToGroup, loadGroups, block } from '../../src/identity/index.ts'
import { feed, friendKey, refused } from './fixtures.ts'

const peers = suite('peers')

peers('peer add stores keys/NAME.asc and returns the fingerprint to compare', async () => {
  const l = await feed()
  const alice = await friendKey('Alice')
  const added = await addPeer(l, 'alice', alice.file)
  assert.is(added.fingerprint, alice.fingerprint)
  assert.is(added.origin, alice.file)
  assert.match(await fs.readFile(path.join(l.keys, 'alice.asc'), 'utf8'), /BEGIN PGP PUBLIC KEY BLOCK/)
  const list = await listPeers(l)
  assert.equal(
    list.map((p) => [p.name, p.fingerprint]),
    [['alice', alice.fingerprint]],
  )
})

peers('refuses a second petname for a known key, naming the first', async () => {
  const l = await feed()
  const alice = await friendKey('Alice')
  await addPeer(l, 'alice', alice.file)
  await refused(addPeer(l, 'ally', alice.file), 'ALREADY_KNOWN', /already your friend "alice"/)
})

peers('refuses a petname that is taken, by a friend or by a group', async () => {
  const l = await feed()
  const [alice, bob] = await Promise.all([friendKey('Alice'), friendKey('Bob')])
  await addPeer(l, 'alice', alice.file)
  await refused(addPeer(l, 'alice', bob.file), 'PETNAME_TAKEN', /already have a friend called "alice"/)
  await addToGroup(l, 'family', ['alice'])
  await refused(addPeer(l, 'family', bob.file), 'NAME_IS_GROUP', /already a group/)
})

peers('refuses invalid and reserved petnames', async () => {
  const l = await feed()
  const bob = await friendKey('Bob')
  await refused(addPeer(l, 'public', bob.file), 'BAD_PETNAME', /"public" is reserved/)
  await refused(addPeer(l, 'self', bob.file), 'BAD_PETNAME', /"self" is reserved/)
  for (const bad of ['Bob', '../bob', 'bob smith', '', '-bob', 'bob.asc']) {
    await refused(addPeer(l, bad, bob.file), 'BAD_PETNAME', /invalid petname/)
  }
})

peers('refuses expired and revoked keys', async () => {
  const l = await feed()
  await refused(addPeer(l, 'old', (await friendKey('Old', { expired: true })).file), 'KEY_EXPIRED', /has expired/)
  await refused(addPeer(l, 'gone', (await friendKey('Gone', { revoked: true })).file), 'KEY_REVOKED', /revoked/)
})

peers('refuses a secret key given by mistake, non-keys, missing files and my own key', async () => {
  const l = await feed()
  await refused(addPeer(l, 'bob', (await friendKey('Bob', { secret: true })).file), 'SECRET_KEY_GIVEN', /SECRET key/)
  const junk = path.join(l.root, 'notes.txt')
  await fs.writeFile(junk, 'just some text\n')
  await refused(addPeer(l, 'bob', junk), 'NOT_A_KEY', /not an OpenPGP public key/)
  await refused(addPeer(l, 'bob', path.join(l.root, 'missing.asc')), 'NO_KEY_SOURCE', /no such file/)
  await refused(addPeer(l, 'me', l.selfPublicKey), 'OWN_KEY', /your own key/)
  assert.equal(await listPeers(l), [])
})

peers('adds from a key URL and from a PeerFeed base URL (HTML or 404 there → /key.asc)', async () => {
  const l = await feed()
  const [a, b] = await Promise.all([friendKey('Alice'), friendKey('Bob')])
  const server = http.createServer((req, res) => {
    if (req.url === '/alice/key.asc') {
      res.setHeader('content-type', 'application/pgp-keys')
      return res.end(a.armored)
    }
    if (req.url === '/alice' || req.url === '/alice/') {
      res.setHeader('content-type', 'text/html')
      return res.end('<!doctype html><h1>Alice</h1>')
    }
    if (req.url === '/bob/key.asc') return res.end(b.armored)
    res.statusCode = 404
    res.end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const viaHtml = await addPeer(l, 'alice', `${base}/alice/`)
    assert.is(viaHtml.fingerprint, a.fingerprint)
    assert.is(viaHtml.origin, `${base}/alice/key.asc`)
    const via404 = await addPeer(l, 'bob', `${base}/bob`)
    assert.is(via404.fingerprint, b.fingerprint)
    await refused(addPeer(l, 'carol', `${base}/carol`), 'KEY_FETCH_FAILED', /no key at .*carol.*HTTP 404/)
  } finally {
    server.close()
  }
})

peers('peer remove deletes the key and takes the name out of groups', async () => {
  const l = await feed()
  const [a, b] = await Promise.all([friendKey('Alice'), friendKey('Bob')])
  await addPeer(l, 'alice', a.file)
  await addPeer(l, 'bob', b.file)
  await addToGroup(l, 'family', ['alice', 'bob'])
  const r = await removePeer(l, 'alice')
  assert.equal(r.groups, ['family'])
  assert.equal(
    (await listPeers(l)).map((p) => p.name),
    ['bob'],
  )
  assert.equal(await loadGroups(l), new Map([['family', ['bob']]]))
  await refused(removePeer(l, 'alice'), 'NO_SUCH_PEER', /no friend called "alice"/)
})

peers('adding a blocked key works but says it is blocked', async () => {
  const l = await feed()
  const a = await friendKey('Alice')
  await block(l, a.fingerprint)
  const r = await addPeer(l, 'alice', a.file)
  assert.ok(r.blocked)
})

peers.run()
