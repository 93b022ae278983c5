import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cli } from '../helpers/index.ts'
import { feed, friendKey } from './fixtures.ts'

const commands = suite('identity commands (real CLI)')
const noStack = (s: string) => assert.not.match(s, /\n\s+at .+:\d+:\d+/, `stack trace in: ${s}`)

commands('peer add / group add / block / peer list / peer remove, end to end', async () => {
  const l = await feed('Ada')
  const [alice, bob] = await Promise.all([friendKey('Alice'), friendKey('Bob')])
  const root = ['--root', l.root]
  let r = await cli(['peer', 'add', 'alice', alice.file, ...root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, new RegExp(alice.fingerprint.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ')))
  assert.is((await cli(['peer', 'add', 'bob', bob.file, ...root])).code, 0)
  r = await cli(['group', 'add', 'family', 'alice', 'bob', ...root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /family: alice, bob/)
  r = await cli(['block', 'bob', ...root])
  assert.match(r.stdout, /blocked "bob"/)
  r = await cli(['peer', 'list', ...root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, new RegExp(`alice\\s+${alice.fingerprint}\\s+family\\n`))
  assert.match(r.stdout, new RegExp(`bob\\s+${bob.fingerprint}\\s+family\\s+BLOCKED`))
  r = await cli(['group', 'list', ...root])
  assert.match(r.stdout, /family: alice, bob/)
  r = await cli(['unblock', bob.fingerprint.toUpperCase(), ...root])
  assert.match(r.stdout, /unblocked/)
  r = await cli(['group', 'remove', 'family', 'bob', ...root])
  assert.match(r.stdout, /family: alice\n/)
  r = await cli(['peer', 'remove', 'alice', ...root])
  assert.match(r.stdout, /removed "alice".*\n.*group: family/)
  r = await cli(['group', 'remove', 'family', ...root])
  assert.match(r.stdout, /deleted group "family"/)
})

commands('refusals exit 1 with a message and no stack trace', async () => {
  const l = await feed('Ada')
  const junk = path.join(l.root, 'junk.txt')
  await fs.writeFile(junk, 'hello')
  const cases: [string[], RegExp][] = [
    [['peer', 'add', 'x', junk], /not an OpenPGP public key/],
    [['peer', 'add', 'me', l.selfPublicKey], /your own key/],
    [['peer', 'add', 'public', junk], /reserved/],
    [['peer', 'add', 'sec', (await friendKey('Sec', { secret: true })).file], /SECRET key/],
    [['peer', 'remove', 'nobody'], /no friend called "nobody"/],
    [['group', 'add', 'family', 'nobody'], /unknown friend: nobody/],
    [['block', 'nobody'], /neither a friend's petname/],
  ]
  for (const [args, re] of cases) {
    const r = await cli([...args, '--root', l.root])
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stdout}`)
    assert.match(r.stderr, re)
    assert.match(r.stderr, /^peerfeed: /)
    noStack(r.stderr)
  }
})

commands('key prints name and fingerprint, --armor the key, --qr a QR and FILE.svg', async () => {
  const l = await feed('Ada')
  await fs.appendFile(l.config, 'url: https://ada.example.org\n')
  const svg = path.join(l.root, 'me.svg')
  const r = await cli(['key', '--armor', '--qr', svg, '--root', l.root])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Ada <ada@example.org>\nfingerprint: ([0-9A-F]{4} ){9}[0-9A-F]{4}\n/)
  assert.match(r.stdout, /key URL: +https:\/\/ada.example.org\/key.asc/)
  assert.match(r.stdout, /BEGIN PGP PUBLIC KEY BLOCK/)
  assert.match(r.stdout, /█|▄/)
  assert.match(await fs.readFile(svg, 'utf8'), /<svg/)
  const none = await cli(['key', '--root', path.join(l.root, 'nowhere')])
  assert.is(none.code, 1)
  assert.match(none.stderr, /peerfeed init/)
  noStack(none.stderr)
})

commands('every identity command has --help', async () => {
  for (const c of [
    ['key'],
    ['peer', 'add'],
    ['peer', 'list'],
    ['peer', 'remove'],
    ['group', 'add'],
    ['group', 'remove'],
    ['group', 'list'],
    ['block'],
    ['unblock'],
  ]) {
    const r = await cli([...c, '--help'])
    assert.is(r.code, 0, c.join(' '))
    assert.match(r.stdout, /Usage/)
    assert.match(r.stdout, /--root/)
  }
})

commands.run()
