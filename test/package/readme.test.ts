// The README's two command blocks stay true: on a fresh clone the first sets up a feed, builds it and serves it;
// the second runs the tests.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { REPO, run, tempDir } from '../helpers/index.ts'

const test = suite('README')

async function blocks(): Promise<string[]> {
  const readme = await fs.readFile(path.join(REPO, 'README.md'), 'utf8')
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim())
}

test('the second command block runs the tests', async () => {
  const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8'))
  assert.is((await blocks())[1], 'npm test')
  assert.match(pkg.scripts.test, /uvu/)
})

test('the first command block sets up, builds and serves a feed on a fresh clone', async () => {
  const first = (await blocks())[0]
  const steps = first.split('&&').map((s) => s.trim())
  assert.is(steps[0], 'npm install')
  assert.match(steps[1], /^npx peerfeed init --name "[^"]+"$/)
  assert.equal(steps.slice(2), ['npm run build', 'npm run serve'])

  const dir = await tempDir('peerfeed-readme-')
  const clone = path.join(dir, 'clone')
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 't@example.org',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 't@example.org',
  }
  try {
    const c = await run('git', ['clone', '--quiet', REPO, clone])
    assert.is(c.code, 0, c.stderr)
    // `npm install` here: the dependencies this checkout already has, then its prepare step (compile)
    await fs.symlink(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'))
    const compile = await run(process.execPath, ['scripts/compile.js'], { cwd: clone, env })
    assert.is(compile.code, 0, compile.stderr)
    const name = steps[1].match(/--name "([^"]+)"/)![1]
    const init = await run(process.execPath, ['bin/peerfeed.js', 'init', '--name', name], { cwd: clone, env })
    assert.is(init.code, 0, init.stderr)
    assert.match(init.stdout, /committed [0-9a-f]{10}/)
    const tracked = (await run('git', ['ls-files'], { cwd: clone })).stdout
    assert.ok(tracked.includes('keys/self.asc') && tracked.includes('peerfeed.yaml'))
    assert.not.ok(
      tracked.split('\n').some((f) => f.endsWith('.secret.asc') || f.startsWith('.peerfeed/')),
      'no secret key committed',
    )
    assert.not.ok(
      tracked.split('\n').some((f) => f.startsWith('feed/')),
      'the feed starts empty',
    )
    const build = await run('npm', ['run', 'build', '--silent'], { cwd: clone, env })
    assert.is(build.code, 0, build.stderr)
    // npm run serve, on a free port rather than 8080
    const serve = spawn('npm', ['run', 'serve', '--silent', '--', '--port', '0'], {
      cwd: clone,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000)
        serve.stdout.on('data', (d) => {
          out += d
          const m = /at (http:\/\/\S+)/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
        serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)))
      })
      const home = await fetch(url)
      assert.is(home.status, 200)
      assert.match(await home.text(), new RegExp(`Nothing here yet — ${name} has not shared any public posts`))
    } finally {
      process.kill(-serve.pid!, 'SIGTERM')
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
})

test.run()
