import fs from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  addPeer,
  addToGroup,
  block,
  unblock,
  loadBlocked,
  loadIdentityData,
  resolveAudience,
  audienceNames,
  audienceNamesOf,
  selfFingerprint,
} from '../../src/identity/index.ts'
import { feed, friendKey, refused } from './fixtures.ts'

const blocking = suite('blocking and audiences')

blocking('block by petname or fingerprint (any spacing/case); the file names the petname', async () => {
  const l = await feed()
  const [a, b] = await Promise.all([friendKey('Alice'), friendKey('Bob')])
  await addPeer(l, 'alice', a.file)
  assert.ok((await block(l, 'alice')).changed)
  assert.not.ok((await block(l, 'alice')).changed, 'blocking twice is a no-op')
  const spaced = b.fingerprint.toUpperCase().replace(/(.{4})/g, '$1 ')
  assert.ok((await block(l, spaced)).changed)
  assert.equal(await loadBlocked(l), new Set([a.fingerprint, b.fingerprint]))
  const src = await fs.readFile(l.blocked, 'utf8')
  assert.match(src, /name: alice/)
  assert.match(src, /never published/)
  assert.ok((await unblock(l, 'alice')).changed)
  assert.not.ok((await unblock(l, 'alice')).changed)
  assert.equal(await loadBlocked(l), new Set([b.fingerprint]))
})

blocking('refuses unknown names and my own key', async () => {
  const l = await feed()
  await refused(block(l, 'nobody'), 'UNKNOWN_PEER', /neither a friend's petname nor a 40-hex-digit fingerprint/)
  await refused(block(l, (await selfFingerprint(l))!), 'OWN_KEY')
})

blocking('an audience is named friends plus group members, minus blocked keys, sorted', async () => {
  const l = await feed()
  const keys = await Promise.all(['alice', 'bob', 'carol', 'dave'].map((n) => friendKey(n)))
  for (const [i, n] of ['alice', 'bob', 'carol', 'dave'].entries()) await addPeer(l, n, keys[i].file)
  await addToGroup(l, 'family', ['alice', 'bob'])
  await addToGroup(l, 'work', ['bob', 'carol'])
  await block(l, 'carol')
  const data = await loadIdentityData(l)
  const fp = (i: number) => keys[i].fingerprint
  assert.equal(resolveAudience(data, ['family', 'work']), [fp(0), fp(1)].sort())
  assert.equal(resolveAudience(data, ['dave', 'family', 'alice']), [fp(0), fp(1), fp(3)].sort())
  assert.equal(resolveAudience(data, ['carol']), [], 'a blocked friend named directly still gets nothing')
  assert.equal(resolveAudience(data, ['public']), [])
  assert.throws(() => resolveAudience(data, ['family', 'zed']), /unknown audience "zed"/)
  assert.equal([...audienceNamesOf(data)].sort(), ['alice', 'bob', 'carol', 'dave', 'family', 'work'])
  assert.equal([...(await audienceNames(l))].sort(), ['alice', 'bob', 'carol', 'dave', 'family', 'work'])
})

blocking.run()
