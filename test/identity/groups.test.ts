import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addPeer, addToGroup, removeFromGroup, deleteGroup, listGroups, loadGroups } from '../../src/identity/index.ts'
import { feed, friendKey, refused } from './fixtures.ts'

const groups = suite('groups')

async function withFriends(...names: string[]) {
  const l = await feed()
  for (const n of names) await addPeer(l, n, (await friendKey(n)).file)
  return l
}

groups('group add creates groups/NAME.yaml with members, and adds without duplicates', async () => {
  const l = await withFriends('alice', 'bob')
  await addToGroup(l, 'family', ['alice'])
  const g = await addToGroup(l, 'family', ['bob', 'alice'])
  assert.equal(g.members, ['alice', 'bob'])
  assert.equal(await listGroups(l), [{ name: 'family', members: ['alice', 'bob'] }])
  assert.match(await fs.readFile(path.join(l.groups, 'family.yaml'), 'utf8'), /members:\n\s+- alice\n\s+- bob/)
})

groups('editing keeps hand-written comments and other keys', async () => {
  const l = await withFriends('alice', 'bob', 'carol')
  const file = path.join(l.groups, 'family.yaml')
  await fs.mkdir(l.groups, { recursive: true })
  await fs.writeFile(file, '# my family\nmembers:\n  - alice # big sister\n  - bob\ndescription: the people at dinner\n')
  await addToGroup(l, 'family', ['carol'])
  await removeFromGroup(l, 'family', ['bob'])
  const src = await fs.readFile(file, 'utf8')
  assert.match(src, /# my family/)
  assert.match(src, /- alice # big sister/)
  assert.match(src, /description: the people at dinner/)
  assert.equal((await loadGroups(l)).get('family'), ['alice', 'carol'])
})

groups('refuses unknown petnames and group names that collide with a friend', async () => {
  const l = await withFriends('alice')
  await refused(addToGroup(l, 'family', ['alice', 'zed']), 'UNKNOWN_PEER', /unknown friend: zed.*peer add/)
  await refused(addToGroup(l, 'alice', ['alice']), 'NAME_IS_PEER', /already a friend's petname/)
  await refused(addToGroup(l, 'public', ['alice']), 'BAD_GROUP_NAME', /reserved/)
  await refused(addToGroup(l, 'Family', ['alice']), 'BAD_GROUP_NAME', /invalid group name/)
  assert.equal(await listGroups(l), [])
})

groups('group remove refuses non-members; with no names the group is deleted', async () => {
  const l = await withFriends('alice')
  await addToGroup(l, 'family', ['alice'])
  await refused(removeFromGroup(l, 'family', ['bob']), 'NOT_A_MEMBER', /bob is not in group "family"/)
  await refused(removeFromGroup(l, 'work', ['alice']), 'NO_SUCH_GROUP')
  await deleteGroup(l, 'family')
  assert.equal(await listGroups(l), [])
})

groups('a broken group file is reported with file:line:col', async () => {
  const l = await feed()
  await fs.mkdir(l.groups, { recursive: true })
  await fs.writeFile(path.join(l.groups, 'family.yaml'), 'members: [alice,\n  bob\n')
  const e = await refused(loadGroups(l), 'BAD_GROUP_FILE', /YAML syntax error/)
  assert.is(e.place.file, 'groups/family.yaml')
  assert.ok((e.place.line ?? 0) >= 1)
})

groups.run()
