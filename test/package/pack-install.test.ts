// The published package: `npm pack`, installed into an empty folder without TypeScript tooling, runs init, post, build and serve.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { REPO, run, tempDir } from '../helpers/index.ts'

const test = suite('package')

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const quiet = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }

/**
 * A lockfile for an app depending only on the tarball: the repo's own lock minus dev packages, so `npm ci` installs
 * exactly the versions CI already fetched (from npm's cache when it has them) and nothing a developer needs.
 */
async function appLock(tarball: string): Promise<object> {
  const lock = JSON.parse(await fs.readFile(path.join(REPO, 'package-lock.json'), 'utf8'))
  const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8'))
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { peerfeed: `file:${tarball}` } },
    'node_modules/peerfeed': {
      version: pkg.version,
      resolved: `file:${tarball}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  }
  for (const [k, v] of Object.entries(lock.packages as Record<string, { dev?: boolean; link?: boolean }>)) {
    if (k && !v.dev && !v.link) packages[k] = v
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages }
}

test('npm pack installs into an empty folder and runs init, post, build and serve without TypeScript tooling', async () => {
  const tmp = await tempDir('peerfeed-pack-')
  try {
    const packed = await run(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: REPO, env: quiet })
    assert.is(packed.code, 0, packed.stderr)
    const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [
      { filename: string; files: { path: string }[] },
    ]
    const names = files.map((f) => f.path)
    assert.ok(names.includes('lib/cli/main.js'), 'the compiled CLI is in the package')
    // every file the code reads beside itself (schemas, the app's static files) is beside the compiled code too
    for (const rel of (await fs.readdir(path.join(REPO, 'src'), { recursive: true })) as string[]) {
      if (rel.endsWith('.ts') || !(await fs.stat(path.join(REPO, 'src', rel))).isFile()) continue
      assert.ok(names.includes(`lib/${rel.split(path.sep).join('/')}`), `lib/${rel} is in the package`)
    }
    assert.ok(
      names.some((n) => n.startsWith('templates/site/')),
      'the site templates are in the package',
    )
    assert.not.ok(
      names.some((n) => n.endsWith('.ts') && !n.endsWith('.d.ts')),
      `no TypeScript sources: ${names.filter((n) => n.endsWith('.ts')).join(', ')}`,
    )

    const app = path.join(tmp, 'app')
    await fs.mkdir(app)
    await fs.writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, dependencies: { peerfeed: `file:../${filename}` } }),
    )
    await fs.writeFile(path.join(app, 'package-lock.json'), JSON.stringify(await appLock(`../${filename}`)))
    const installed = await run(NPM, ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env: quiet })
    assert.is(installed.code, 0, installed.stderr)
    for (const tool of ['typescript', 'tsx', 'esbuild']) {
      assert.not.ok(await fs.stat(path.join(app, 'node_modules', tool)).catch(() => undefined), `${tool} is not installed`)
    }

    const bin = path.join(app, 'node_modules/.bin/peerfeed')
    const feed = path.join(app, 'feed-root')
    await fs.mkdir(feed)
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.org',
    }
    const version = await run(bin, ['--version'], { cwd: feed, env })
    assert.match(version.stdout, /peerfeed, \d+\.\d+\.\d+/)
    const init = await run(bin, ['init', '--name', 'Pack Test'], { cwd: feed, env })
    assert.is(init.code, 0, init.stderr)
    const post = await run(bin, ['post', '--text', 'Installed from a tarball.'], { cwd: feed, env })
    assert.is(post.code, 0, post.stderr)
    const build = await run(bin, ['build'], { cwd: feed, env })
    assert.is(build.code, 0, build.stderr)
    assert.match(build.stdout, /built .*: 1 posts \(1 public/)

    // serve with its decryption worker threads, which load compiled modules too
    const serve = spawn(bin, ['serve', '--port', '0', '--decrypt-workers', '1'], { cwd: feed, env, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      let out = ''
      let err = ''
      serve.stderr.on('data', (d) => (err += d))
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000)
        serve.stdout.on('data', (d) => {
          out += d
          const m = /API at (http:\/\/\S+?)\/? /.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
        serve.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
      })
      const home = await fetch(`${url}/`)
      assert.is(home.status, 200)
      assert.match(await home.text(), /Installed from a tarball\./)
      const key = await fetch(`${url}/key.asc`)
      assert.match(await key.text(), /BEGIN PGP PUBLIC KEY BLOCK/)
      const garbage = await fetch(`${url}/api/v1/updates`, { method: 'POST', body: 'not a message' })
      assert.ok(garbage.status >= 400 && garbage.status < 500, `a bad request is a 4xx, not ${garbage.status}`)
    } finally {
      serve.kill('SIGINT')
      await new Promise((r) => (serve.exitCode !== null ? r(null) : serve.once('exit', r)))
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true })
  }
})

test.run()
