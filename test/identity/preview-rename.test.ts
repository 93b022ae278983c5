// What the app needs beside `peer add` and `group`: a key previewed before saving (URL, file or pasted text, with
// the same refusals), a group renamed along with the posts addressed to it, and the Friends overview.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addPeer, block } from '../../src/identity/index.ts'
import { previewPeerKey, suggestName } from '../../src/identity/new-peer-key.ts'
import { postsAddressedTo, renameGroup } from '../../src/identity/rename-group.ts'
import { listFriends } from '../../src/sync/friends.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('friends and groups for the app')
let alice: TestFeed, bob: TestFeed, carol: TestFeed, url: string

test.before(async () => {
  ;[alice, bob, carol] = await Promise.all([makeFeed('alice'), makeFeed('bob'), makeFeed('carol')])
  await bob.build()
  url = (await bob.serve()).url
})
test.after(async () => {
  await Promise.all([alice, bob, carol].map((f) => f?.close()))
})

test('a key is previewed from a feed URL, a key file or pasted text: name and fingerprint, nothing saved', async () => {
  const byUrl = await previewPeerKey(alice.layout, url)
  assert.is(byUrl.fingerprint, bob.fingerprint)
  assert.is(byUrl.name, 'Bob')
  assert.is(byUrl.email, 'bob@example.org')
  assert.match(byUrl.formatted, /^([0-9A-F]{4} ){9}[0-9A-F]{4}$/)
  assert.is(byUrl.suggestedName, 'bob')
  assert.is(byUrl.origin, `${url}key.asc`)
  const byFile = await previewPeerKey(alice.layout, carol.layout.selfPublicKey)
  assert.is(byFile.fingerprint, carol.fingerprint)
  const pasted = await previewPeerKey(alice.layout, { armored: await fs.readFile(carol.layout.selfPublicKey, 'utf8') })
  assert.is(pasted.fingerprint, carol.fingerprint)
  assert.is(pasted.origin, 'the pasted key')
  assert.equal(
    (await fs.readdir(alice.layout.keys)).filter((f) => f !== 'self.asc' && f.endsWith('.asc')),
    [],
  )
})

test('the same refusals as `peer add`: my own key, a key already known, text that is no key', async () => {
  const refused = async (input: Parameters<typeof previewPeerKey>[1]) => {
    try {
      await previewPeerKey(alice.layout, input)
    } catch (e) {
      return (e as { code: string }).code
    }
    return 'accepted'
  }
  assert.is(await refused(alice.layout.selfPublicKey), 'OWN_KEY')
  await addPeer(alice.layout, 'carol', carol.layout.selfPublicKey)
  assert.is(await refused(carol.layout.selfPublicKey), 'ALREADY_KNOWN')
  assert.is(await refused({ armored: 'hello' }), 'NOT_A_KEY')
  assert.equal(suggestName(['Bob Smith'], new Set(['bob-smith'])), 'bob-smith-2')
})

test('renaming a group renames its file and the audience of my posts addressed to it, keeping the rest as written', async () => {
  await addPeer(alice.layout, 'bob', url)
  await alice.group('family', ['bob', 'carol'])
  const stem = await alice.post({ text: 'for the family', to: ['family', 'bob'] })
  await alice.post({ text: 'public' })
  const file = await alice.postFile(stem)
  await fs.writeFile(file, `# my note\n${await fs.readFile(file, 'utf8')}`)
  assert.equal(await postsAddressedTo(alice.layout, 'family'), [path.relative(alice.layout.root, file)])
  const r = await renameGroup(alice.layout, 'family', 'kin')
  assert.equal(r.members, ['bob', 'carol'])
  assert.equal(r.posts, [path.relative(alice.layout.root, file)])
  const text = await fs.readFile(file, 'utf8')
  assert.match(text, /^# my note\n/)
  assert.match(text, /to:\n {2}- kin\n {2}- bob\n|to: \[ kin, bob \]/)
  assert.ok(!(await fs.stat(path.join(alice.layout.groups, 'family.yaml')).catch(() => false)))
  assert.match(await fs.readFile(path.join(alice.layout.groups, 'kin.yaml'), 'utf8'), 'Group "kin"')
  try {
    await renameGroup(alice.layout, 'kin', 'bob')
    assert.unreachable()
  } catch (e) {
    assert.is((e as { code: string }).code, 'NAME_IS_PEER')
  }
})

test('the Friends overview: fingerprint in groups of four, groups, following, blocked, last sync', async () => {
  await alice.follow('bob', url)
  await alice.sync()
  await block(alice.layout, 'carol')
  const friends = await listFriends(alice.layout)
  assert.equal(
    friends.map((f) => f.name),
    ['bob', 'carol'],
  )
  const [b, c] = friends
  assert.is(b.formatted?.split(' ').length, 10)
  assert.equal(b.groups, ['kin'])
  assert.is(b.following, true)
  assert.is(b.lastSync?.ok, true)
  assert.is(c.following, false)
  assert.is(c.blocked, true)
  assert.is(c.lastSync, undefined)
})

test.run()
