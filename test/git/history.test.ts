// historyState: what a build needs to know from git, read from real repositories.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { assertMerged, historyState, isRepo } from '../../src/git.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('git history')
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    stdio: 'pipe',
  }).toString()

test('outside a repository, or in a folder below its root, there is no history to check', async () => {
  const dir = await tempDir()
  assert.is(await historyState(dir), undefined)
  git(dir, 'init', '-q')
  fs.mkdirSync(path.join(dir, 'sub'))
  assert.is(await historyState(path.join(dir, 'sub')), undefined)
  assert.equal(await historyState(dir), { merging: false, conflicted: [], upstream: null, ahead: 0, behind: 0 })
  assert.ok(await isRepo(dir))
  assert.not.ok(await isRepo(path.join(dir, 'sub')))
})

test('a merge with a file in conflict is seen, and a build refuses to run until it is finished', async () => {
  const dir = await tempDir()
  git(dir, 'init', '-q')
  fs.writeFileSync(path.join(dir, 'a file.txt'), 'one\n')
  git(dir, 'add', '.')
  git(dir, 'commit', '-qm', 'one')
  git(dir, 'checkout', '-qb', 'other')
  fs.writeFileSync(path.join(dir, 'a file.txt'), 'two\n')
  git(dir, 'commit', '-qam', 'two')
  git(dir, 'checkout', '-q', 'main')
  fs.writeFileSync(path.join(dir, 'a file.txt'), 'three\n')
  git(dir, 'commit', '-qam', 'three')
  try {
    git(dir, 'merge', 'other')
  } catch {
    /* the conflict */
  }
  const h = await historyState(dir)
  assert.ok(h?.merging)
  assert.equal(h?.conflicted, ['a file.txt'])
  try {
    await assertMerged(dir)
    assert.unreachable('a build during a merge must be refused')
  } catch (e) {
    assert.is((e as { code?: string }).code, 'MERGE_IN_PROGRESS')
  }
})

test('ahead of and behind an upstream are counted', async () => {
  const up = await tempDir()
  git(up, 'init', '-q', '--bare')
  const a = await tempDir()
  git(a, 'init', '-q')
  git(a, 'commit', '-q', '--allow-empty', '-m', 'base')
  git(a, 'remote', 'add', 'origin', up)
  git(a, 'push', '-q', '-u', 'origin', 'main')
  const b = await tempDir()
  execFileSync('git', ['clone', '-q', up, b])
  git(b, 'commit', '-q', '--allow-empty', '-m', 'there')
  git(b, 'push', '-q')
  git(a, 'commit', '-q', '--allow-empty', '-m', 'here')
  git(a, 'fetch', '-q')
  const h = await historyState(a)
  assert.equal([h?.upstream, h?.ahead, h?.behind], ['origin/main', 1, 1])
})

test.run()
