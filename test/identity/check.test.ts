import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addPeer, addToGroup, checkIdentity } from '../../src/identity/index.ts'
import { layout } from '../../src/paths.ts'
import { tempDir } from '../helpers/index.ts'
import { feed, friendKey } from './fixtures.ts'

const check = suite('checkIdentity')

check('a healthy feed has no problems', async () => {
  const l = await feed()
  await addPeer(l, 'alice', (await friendKey('Alice')).file)
  await addToGroup(l, 'family', ['alice'])
  assert.equal(await checkIdentity(l), [])
})

check('reports bad key files, expired/revoked keys, bad groups, missing members and name clashes', async () => {
  const l = await feed()
  await addPeer(l, 'alice', (await friendKey('Alice')).file)
  await fs.writeFile(path.join(l.keys, 'junk.asc'), 'not a key')
  await fs.writeFile(path.join(l.keys, 'old.asc'), (await friendKey('Old', { expired: true })).armored)
  await fs.writeFile(path.join(l.keys, 'gone.asc'), (await friendKey('Gone', { revoked: true })).armored)
  await fs.writeFile(path.join(l.keys, 'oops.asc'), (await friendKey('Oops', { secret: true })).armored)
  await fs.mkdir(l.groups, { recursive: true })
  await fs.writeFile(path.join(l.groups, 'broken.yaml'), 'members: [alice\n')
  await fs.writeFile(path.join(l.groups, 'family.yaml'), '# family\nmembers:\n  - alice\n  - zed\n')
  await fs.writeFile(path.join(l.groups, 'alice.yaml'), 'members: []\n')
  const problems = await checkIdentity(l)
  const find = (file: string, re: RegExp) => problems.find((p) => p.file === file && re.test(p.message))
  assert.ok(find('keys/junk.asc', /not an OpenPGP public key/), JSON.stringify(problems, null, 1))
  assert.ok(find('keys/old.asc', /expired/))
  assert.ok(find('keys/gone.asc', /revoked/))
  assert.ok(find('keys/oops.asc', /SECRET key/))
  const broken = find('groups/broken.yaml', /YAML syntax error/)
  assert.ok(broken?.line, 'syntax errors carry a line')
  const zed = find('groups/family.yaml', /member "zed" has no key/)
  assert.is(zed?.line, 4)
  assert.is(zed?.col, 5)
  assert.ok(find('groups/alice.yaml', /same name as a friend/))
  assert.not.ok(
    problems.some((p) => p.file.startsWith('/')),
    'files are relative to the root',
  )
})

check('a feed without an identity says to run init', async () => {
  const l = layout(await tempDir())
  const problems = await checkIdentity(l)
  assert.equal(problems, [{ file: 'keys/self.asc', message: 'missing: this feed has no identity yet; run `peerfeed init`' }])
})

check.run()
