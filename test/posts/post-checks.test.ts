// `post` checks everything `check` does before it writes or commits; the feed root is found from any subfolder.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { simpleGit } from 'simple-git'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BIN, cli, tempDir } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('post checks and the feed root')
let ada: TestFeed, bob: TestFeed

const files = async (dir: string) => (await fs.readdir(dir, { recursive: true }).catch(() => [] as string[])).sort()
const head = async (root: string) =>
  (
    await simpleGit(root)
      .log()
      .catch(() => ({ total: 0 }))
  ).total

test.before(async () => {
  ;[ada, bob] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
  await ada.befriend(bob)
  await ada.group('family', ['bob'])
  const git = simpleGit(ada.layout.root)
  await git.addConfig('user.name', 'Test').addConfig('user.email', 't@example.org')
  await git.add('.')
  await git.commit('start')
})
test.after(async () => {
  await ada?.close()
  await bob?.close()
})

test('post --to nobodyhere is refused, naming the known groups and friends; nothing written or committed', async () => {
  const before = [await files(ada.layout.feed), await head(ada.layout.root)]
  const r = await cli(['post', '--root', ada.layout.root, '--text', 'hello', '--to', 'nobodyhere'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /'to' names 'nobodyhere'/)
  assert.match(r.stderr, /known groups: family; known friends: bob/)
  assert.match(r.stderr, /feed\/\d{4}\/\d\d\/[^:]+\.yaml:\d+:\d+/)
  assert.equal([await files(ada.layout.feed), await head(ada.layout.root)], before)
})

test('a post whose audience is entirely blocked is refused by post and reported by check and build', async () => {
  await ada.block('bob')
  const before = await files(ada.layout.feed)
  const r = await cli(['post', '--root', ada.layout.root, '--text', 'for the family', '--to', 'family'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /everyone this post is for \(family\) is blocked, so nobody receives it/)
  assert.equal(await files(ada.layout.feed), before)
  await ada.post({ text: 'to bob only', to: ['bob'] }, { now: new Date('2026-11-20T09:00:00Z') })
  const c = await cli(['check', '--root', ada.layout.root])
  assert.is(c.code, 0, c.stdout)
  assert.match(
    c.stdout,
    /feed\/2026\/11\/2026-11-20T09-00-00Z-to-bob-only\.yaml:3:7 {2}warning: everyone this post is for \(bob\) is blocked, so nobody receives it/,
  )
  assert.match(c.stdout, /\(1 warning above\)/)
  const b = await cli(['build', '--root', ada.layout.root])
  assert.is(b.code, 0, b.stderr)
  assert.match(
    b.stderr,
    /warning: feed\/2026\/11\/2026-11-20T09-00-00Z-to-bob-only\.yaml:3:7 {2}everyone this post is for \(bob\) is blocked/,
  )
  await fs.rm(await ada.postFile('2026-11-20T09-00-00Z-to-bob-only'))
  await cli(['unblock', 'bob', '--root', ada.layout.root])
})

test('every command finds the feed root from a subfolder, and refuses outside a feed', async () => {
  const sub = path.join(ada.layout.feed, '2026')
  await fs.mkdir(sub, { recursive: true })
  const r = await cli(['post', '--text', 'from a subfolder', '--date', '2026-11-22T10:00:00Z'], { cwd: sub })
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, 'wrote feed/2026/11/2026-11-22T10-00-00Z-from-a-subfolder.yaml')
  await fs.access(path.join(ada.layout.root, 'feed/2026/11/2026-11-22T10-00-00Z-from-a-subfolder.yaml'))
  assert.is((await files(sub)).filter((f) => f.startsWith('feed')).length, 0, 'no nested feed/')
  const k = await cli(['key'], { cwd: sub })
  assert.is(k.code, 0, k.stderr)
  assert.match(k.stdout, /^Ada/)

  const outside = await tempDir('peerfeed-nofeed-')
  for (const args of [['post', '--text', 'lost'], ['check'], ['build'], ['timeline']]) {
    const o = await cli(args, { cwd: outside })
    assert.is(o.code, 1, args.join(' '))
    assert.match(o.stderr, /is not inside a PeerFeed feed .*run `peerfeed init`/)
  }
  const withRoot = await cli(['post', '--root', outside, '--text', 'lost'])
  assert.is(withRoot.code, 1)
  assert.match(withRoot.stderr, /is not a PeerFeed feed/)
  assert.equal(await files(outside), [])
  await fs.rm(outside, { recursive: true })
})

test('an unquoted colon says to quote the text, at its line and column', async () => {
  const file = path.join(ada.layout.feed, '2026/11/colon.yaml')
  await fs.writeFile(file, 'type: status\npublished: 2026-11-24T09:30:00Z\ntext: Note: this\n')
  const c = await cli(['check', '--root', ada.layout.root])
  assert.is(c.code, 1)
  assert.match(
    c.stdout,
    `feed/2026/11/colon.yaml:3:7  YAML syntax error: the value of 'text' contains ': ', which YAML reads as the start of another field; put the value in quotes: text: "Note: this"`,
  )
  await fs.rm(file)
})

test('timeline prints a short id for every entry; --reply-to and --of take it or a prefix', async () => {
  await bob.post({ text: 'Snow at last' }, { now: new Date('2026-11-21T08:00:00Z') })
  // bob's post as ada's sync would have stored it
  await fs.mkdir(path.join(ada.layout.inbox, 'bob/2026/11'), { recursive: true })
  await fs.copyFile(
    await bob.postFile('2026-11-21T08-00-00Z-snow-at-last'),
    path.join(ada.layout.inbox, 'bob/2026/11/2026-11-21T08-00-00Z-snow-at-last.yaml'),
  )
  const t = await cli(['timeline', '--root', ada.layout.root])
  assert.is(t.code, 0, t.stderr)
  const blocks = t.stdout.trim().split('\n\n')
  assert.ok(blocks.length >= 2)
  for (const b of blocks) assert.match(b.split('\n')[0], / · (me|bob)\/\d{4}-\d\d-\d\dT[\w-]+$/)
  assert.match(t.stdout, ' · bob/2026-11-21T08-00-00Z-snow-at-last')

  const c = await cli([
    'post',
    'comment',
    '--root',
    ada.layout.root,
    '--reply-to',
    'bob/2026-11-21T08-00-00Z-snow-at-last',
    '--text',
    'Lovely',
  ])
  assert.is(c.code, 0, c.stderr)
  const cfile = c.stdout.match(/wrote (\S+)/)![1]
  assert.match(
    await fs.readFile(path.join(ada.layout.root, cfile), 'utf8'),
    `inReplyTo: ${bob.fingerprint}/2026-11-21T08-00-00Z-snow-at-last`,
  )
  const l = await cli(['post', 'like', '--root', ada.layout.root, '--of', 'bob/2026-11-21T08'])
  assert.is(l.code, 0, l.stderr)
  const lfile = l.stdout.match(/wrote (\S+)/)![1]
  assert.match(await fs.readFile(path.join(ada.layout.root, lfile), 'utf8'), `object: ${bob.fingerprint}/2026-11-21T08-00-00Z-snow-at-last`)

  const amb = await cli(['post', 'like', '--root', ada.layout.root, '--of', '2026-11'])
  assert.is(amb.code, 1)
  assert.match(amb.stderr, /'2026-11' matches \d+ posts \(.*\); give more of it/)
  const none = await cli(['post', 'like', '--root', ada.layout.root, '--of', 'bob/1999'])
  assert.is(none.code, 1)
  assert.match(none.stderr, /no post matches 'bob\/1999'/)
})

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test('post on a terminal with no $EDITOR and no text says how to give the text', async () => {
  if (!hasScript) {
    if (process.env.PEERFEED_REQUIRE_ALL === '1') throw new Error('required tool missing: script (util-linux)')
    console.log('  skipped the terminal part: `script` (util-linux) is missing')
    return
  }
  const before = await files(ada.layout.feed)
  const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'dumb' }
  delete env.EDITOR
  delete env.VISUAL
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  // `script` gives the command a real terminal as stdin, as a person typing `peerfeed post` has
  const out = execFileSync(
    'script',
    ['-qec', `${q(process.execPath)} ${q(BIN)} post --root ${q(ada.layout.root)}; echo "exit=$?"`, '/dev/null'],
    { env, encoding: 'utf8', input: '', timeout: 60_000 },
  )
  assert.match(out, /no text given and no editor set/)
  assert.match(out, /--text/)
  assert.match(out, /export EDITOR=nano/)
  assert.match(out, /exit=1/)
  assert.equal(await files(ada.layout.feed), before)
})

test.run()
