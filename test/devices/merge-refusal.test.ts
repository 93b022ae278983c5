// `peerfeed build` during an unfinished git merge: two real clones edit the same post, the merge stops in conflict,
// and the build refuses with the git commands to finish it — writing nothing — then builds once it is finished.
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cli, gitRun, tempDir } from '../helpers/index.ts'

const test = suite('build refuses during an unfinished merge')
let dir: string
let A: string
let B: string
let postRel: string

async function gitOk(cwd: string, ...args: string[]) {
  const r = await gitRun(cwd, ...args)
  assert.is(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** Every file under root except .git, with its content hash, size and mtime: "writes nothing" is checked on all of them. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const f of await fs.readdir(root, { recursive: true })) {
    if (f === '.git' || f.startsWith(`.git${path.sep}`)) continue
    const p = path.join(root, f)
    const st = await fs.lstat(p)
    if (st.isDirectory()) {
      out[`${f}/`] = 'dir'
      continue
    }
    const body = st.isSymbolicLink() ? await fs.readlink(p) : await fs.readFile(p)
    out[f] = `${createHash('sha256').update(body).digest('hex')} ${st.size} ${st.mtimeMs}`
  }
  return out
}

test.before(async () => {
  dir = await tempDir('peerfeed-merge-refusal-')
  A = path.join(dir, 'A')
  B = path.join(dir, 'B')
  assert.is((await cli(['init', '--root', A, '--name', 'Ada'])).code, 0)
  const p = await cli(['post', 'status', '--text', 'the first version', '--root', A])
  assert.is(p.code, 0, p.stderr)
  const built = await cli(['build', '--root', A])
  assert.is(built.code, 0, built.stderr)
  assert.is(await gitOk(A, 'status', '--porcelain'), '', 'post and build committed their files')
  await gitOk(dir, 'init', '-q', '--bare', 'origin.git')
  await gitOk(A, 'remote', 'add', 'origin', path.join(dir, 'origin.git'))
  await gitOk(A, 'push', '-q', '-u', 'origin', 'HEAD')
  await gitOk(dir, 'clone', '-q', path.join(dir, 'origin.git'), 'B')
  postRel = (await gitOk(A, 'ls-files', 'feed'))
    .trim()
    .split('\n')
    .find((f) => f.endsWith('.yaml'))!
  assert.ok(postRel, 'the post is committed')
})

test.after(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

test('the same post edited on two devices: the merge stops in conflict and build refuses, writing nothing', async () => {
  const edit = async (root: string, text: string) => {
    const file = path.join(root, postRel)
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('the first version', text))
  }
  await edit(B, 'edited on the laptop')
  await gitOk(B, 'commit', '-q', '-am', 'edit on B')
  await gitOk(B, 'push', '-q')
  await edit(A, 'edited on the desktop')
  await gitOk(A, 'commit', '-q', '-am', 'edit on A')
  const merge = await gitRun(A, 'pull', '-q', '--no-rebase', '--no-edit')
  assert.is.not(merge.code, 0, 'the merge must stop in conflict')
  assert.match(await gitOk(A, 'status', '--porcelain'), `UU ${postRel}`)

  const before = await snapshot(A)
  const head = await gitOk(A, 'rev-parse', 'HEAD')
  const r = await cli(['build', '--root', A])
  assert.is(r.code, 1, r.stdout)
  assert.match(r.stderr, 'a git merge is not finished')
  assert.match(r.stderr, `${postRel} in conflict`)
  assert.match(r.stderr, `git -C ${A} status`)
  assert.match(r.stderr, `git -C ${A} add FILE`)
  assert.match(r.stderr, `git -C ${A} commit`)
  assert.not.match(r.stderr, 'problem(s)', 'refused before the feed is checked, not for the conflict markers')
  assert.equal(await snapshot(A), before, 'the build wrote nothing (dist/, ledger/, .peerfeed/ and the feed as they were)')
  assert.is(await gitOk(A, 'rev-parse', 'HEAD'), head, 'and committed nothing')
})

test('a merge with nothing left in conflict but not committed is refused too', async () => {
  const file = path.join(A, postRel)
  await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/<<<<<<<[^\n]*\n[\s\S]*?=======\n([\s\S]*?)>>>>>>>[^\n]*\n/, '$1'))
  await gitOk(A, 'add', postRel)
  const before = await snapshot(A)
  const r = await cli(['build', '--root', A])
  assert.is(r.code, 1, r.stdout)
  assert.match(r.stderr, 'a git merge is not finished')
  assert.match(r.stderr, `git -C ${A} commit`)
  assert.equal(await snapshot(A), before)
})

test('once the merge is committed, build goes ahead', async () => {
  await gitOk(A, 'commit', '-q', '--no-edit')
  const r = await cli(['build', '--root', A])
  assert.is(r.code, 0, r.stderr)
  assert.match(await fs.readFile(path.join(A, postRel), 'utf8'), 'edited on the laptop')
})

test.run()
