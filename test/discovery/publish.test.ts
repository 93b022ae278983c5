// `peerfeed publish` to a bare repo: files arrive on the branch, commits chain, the user's repo is left exactly as it was.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cli, tempDir } from '../helpers/index.ts'

const test = suite('discovery/publish')
const ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.org' }
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...ENV }, encoding: 'utf8' }).trim()

/** A feed repo with a commit, a staged and an unstaged change, a built dist/ (ignored), and a bare remote as origin. */
async function setup() {
  const dir = await tempDir('peerfeed-publish-')
  const root = path.join(dir, 'feed')
  await fs.mkdir(path.join(root, 'dist/.well-known/openpgpkey'), { recursive: true })
  git(dir, 'init', '--quiet', '--bare', 'remote.git')
  git(root, 'init', '--quiet', '-b', 'main')
  await fs.writeFile(path.join(root, '.gitignore'), 'dist/\n')
  await fs.writeFile(path.join(root, 'a.txt'), 'one\n')
  // publish pushes only where it was told to: here, peerfeed.yaml names origin
  await fs.writeFile(path.join(root, 'peerfeed.yaml'), 'name: Ada\npublish:\n  remote: origin\n  branch: pages\n')
  git(root, 'add', '.')
  git(root, 'commit', '--quiet', '-m', 'first')
  await fs.writeFile(path.join(root, 'a.txt'), 'staged\n')
  git(root, 'add', 'a.txt')
  await fs.writeFile(path.join(root, 'a.txt'), 'unstaged\n')
  git(root, 'remote', 'add', 'origin', '../remote.git')
  await fs.writeFile(path.join(root, 'dist/index.html'), '<h1>Ada</h1>\n')
  await fs.writeFile(path.join(root, 'dist/.well-known/openpgpkey/policy'), '')
  const state = () => ({
    head: git(root, 'rev-parse', 'HEAD'),
    branch: git(root, 'branch', '--show-current'),
    status: git(root, 'status', '--porcelain'),
    staged: git(root, 'diff', '--cached'),
    refs: git(root, 'for-each-ref'),
  })
  return { dir, root, remote: path.join(dir, 'remote.git'), state, before: state() }
}

test('publishes dist/ to a branch of a bare remote and leaves HEAD, index and working tree alone', async () => {
  const s = await setup()
  try {
    const r = await cli(['publish', '--root', s.root], { env: ENV })
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /^pushed [0-9a-f]{10} to .*remote\.git pages \(3 files, .* new branch\)/)
    assert.equal(s.state(), s.before)
    const clone = path.join(s.dir, 'clone')
    git(s.dir, 'clone', '--quiet', '-b', 'pages', s.remote, clone)
    assert.is(await fs.readFile(path.join(clone, 'index.html'), 'utf8'), '<h1>Ada</h1>\n')
    assert.ok(await fs.stat(path.join(clone, '.well-known/openpgpkey/policy')))
    assert.ok(await fs.stat(path.join(clone, '.nojekyll')), 'GitHub Pages would hide .well-known without .nojekyll')
  } finally {
    await fs.rm(s.dir, { recursive: true, force: true })
  }
})

test('a second publish is a child of the first; an unchanged site pushes nothing', async () => {
  const s = await setup()
  try {
    const { publish } = await import('../../src/discovery/publish.ts')
    const { layout } = await import('../../src/paths.ts')
    const first = await publish(layout(s.root))
    await fs.writeFile(path.join(s.root, 'dist/index.html'), '<h1>Ada, again</h1>\n')
    const second = await publish(layout(s.root))
    assert.is(second.parent, first.commit)
    assert.is(git(s.remote, 'rev-parse', 'pages'), second.commit)
    assert.is(git(s.remote, 'rev-parse', 'pages^'), first.commit)
    assert.is(git(s.remote, 'show', 'pages:index.html'), '<h1>Ada, again</h1>')
    const third = await publish(layout(s.root))
    assert.ok(third.unchanged)
    assert.is(git(s.remote, 'rev-parse', 'pages'), second.commit)
    assert.equal(s.state(), s.before)
  } finally {
    await fs.rm(s.dir, { recursive: true, force: true })
  }
})

test('says to build first when dist/ is missing, and names an unreachable remote', async () => {
  const s = await setup()
  try {
    const noDist = await cli(['publish', '--root', s.root, '--out', 'nowhere'], { env: ENV })
    assert.is(noDist.code, 1)
    assert.match(noDist.stderr, /nowhere does not exist; run peerfeed build first/)
    const gone = await cli(['publish', '--root', s.root, '--remote', 'file:///nonexistent/remote.git'], { env: ENV })
    assert.is(gone.code, 1)
    assert.match(gone.stderr, /cannot reach the git remote file:\/\/\/nonexistent\/remote\.git/)
    const unknown = await cli(['publish', '--root', s.root, '--remote', 'upstream'], { env: ENV })
    assert.match(unknown.stderr, /'upstream' is neither a git remote/)
  } finally {
    await fs.rm(s.dir, { recursive: true, force: true })
  }
})

test("never pushes to a remote it was not given: a clone's origin is not a default", async () => {
  const s = await setup()
  try {
    await fs.writeFile(path.join(s.root, 'peerfeed.yaml'), 'name: Ada\n')
    const r = await cli(['publish', '--root', s.root], { env: ENV })
    assert.is(r.code, 1)
    assert.match(r.stderr, /publish needs to be told where your site goes; it never pushes to a remote it was not given/)
    assert.match(r.stderr, /publish:\n\s+remote: /)
    assert.match(r.stderr, /--remote URL/)
    assert.is(git(s.remote, 'for-each-ref'), '', 'nothing was pushed to origin')
    const flag = await cli(['publish', '--root', s.root, '--remote', 'origin', '--branch', 'site'], { env: ENV })
    assert.is(flag.code, 0, flag.stderr)
    assert.match(git(s.remote, 'for-each-ref'), /refs\/heads\/site/)
  } finally {
    await fs.rm(s.dir, { recursive: true, force: true })
  }
})

test.run()
