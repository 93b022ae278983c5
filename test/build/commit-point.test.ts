// A build killed (SIGKILL, a real child process) at each step of its commit window, then built again: no deleted post
// is published, and a server reading dist/ meanwhile never misses a page. Two builds at once: one waits, neither fails.
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rejects } from 'node:assert/strict'
import { buildFeed } from '../../src/build/build.ts'
import { acquireLock } from '../../src/fs-lock.ts'
import type { Entry } from '../../src/protocol/wire.ts'
import { BIN, cli, run } from '../helpers/index.ts'
import { allFiles, writeTestPost } from '../helpers/feeds.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const STEPS = ['prepare', 'site', 'pages', 'state', 'complete', 'swapped']

let ada: TestFeed
let bob: TestFeed

const build = (f: TestFeed, args: string[] = [], env: Record<string, string> = {}) => cli(['build', ...args], { cwd: f.layout.root, env })

/** Everything published about a stem: site files under its page, public API entries that carry it as a live post. */
async function published(f: TestFeed, stem: string): Promise<string[]> {
  const found = (await allFiles(f.layout.dist)).filter((p) => p.split(path.sep).includes(stem))
  const pub = path.join(f.layout.dist, 'api', 'public')
  for (const name of await fs.readdir(pub)) {
    if (!/^\d+\.json$/.test(name)) continue
    const page = JSON.parse(await fs.readFile(path.join(pub, name), 'utf8')) as { entries: Entry[] }
    for (const e of page.entries) if (e.id.endsWith(`/${stem}`) && !e.deleted) found.push(`api/public/${name}: ${e.id}`)
  }
  const feed = await fs.readFile(path.join(f.layout.dist, 'feed.json'), 'utf8')
  if (feed.includes(stem)) found.push('feed.json')
  return found
}

/** GETs `paths` from the server in a loop until stop() and returns every answer that was not 200. */
function hammer(base: string, paths: string[]) {
  let running = true
  const bad: string[] = []
  let requests = 0
  const loop = (async () => {
    while (running) {
      for (const p of paths) {
        requests++
        // a fresh connection each time: a keep-alive socket the server times out is no missing page
        // Only the status counts: a body cut short at the very moment of a swap (the static handler stats a file, then
        // opens it by path) is the server's matter, not a missing page.
        const status = await new Promise<string | number>((resolve) => {
          http
            .get(new URL(p, base), { agent: false }, (res) => {
              resolve(res.statusCode ?? 0)
              res.on('error', () => {})
              res.resume()
            })
            .on('error', (e) => resolve(e.message))
        })
        if (status !== 200) bad.push(`${p}: ${status}`)
      }
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return { bad, requests }
    },
  }
}

const kill = suite('build commit point')

kill.before(async () => {
  ;[ada, bob] = await Promise.all([makeFeed('ada'), makeFeed('bob')])
  await ada.befriend(bob)
  await writeTestPost(ada, { text: 'stays published' }, 'keep')
  await writeTestPost(ada, { text: 'for bob only', to: ['bob'] }, 'private-keep')
  const r = await build(ada)
  assert.is(r.code, 0, r.stderr)
})
kill.after(async () => {
  await ada?.close()
  await bob?.close()
})

for (const step of STEPS) {
  kill(`a build killed at '${step}' is followed by one that publishes no deleted post and keeps serving`, async () => {
    const doomed = `doomed-${step}`
    await writeTestPost(ada, { text: `soon deleted (${step})` }, doomed)
    assert.is((await build(ada)).code, 0)
    assert.ok((await published(ada, doomed)).length > 0, 'the post is published before it is deleted')

    await fs.rm(await ada.postFile(doomed))
    const killed = await build(ada, [], { PEERFEED_BUILD_KILL_AT: step })
    assert.is(killed.code, -1, `the build was killed at '${step}' (exit ${killed.code}): ${killed.stderr}`)

    const server = await ada.serve()
    const load = hammer(server.url, ['/', '/posts/keep/', '/key.asc', '/api/v1/public?since=0'])
    const after = await build(ada, step === 'site' ? ['--full'] : [])
    const { bad, requests } = await load.stop()
    await server.close()
    assert.is(after.code, 0, after.stderr)
    assert.equal(bad, [], `${bad.length} of ${requests} requests failed while the next build ran`)
    assert.equal(await published(ada, doomed), [], 'the deleted post is still published')
    assert.ok((await published(ada, 'keep')).length > 0, 'the kept post is published')

    // and once more: a build with nothing new keeps it that way
    assert.is((await build(ada)).code, 0)
    assert.equal(await published(ada, doomed), [])
  })
}

kill('the server answers from the manifest of the tree dist/ points at, even after a kill just before the swap', async () => {
  await writeTestPost(ada, { text: 'also soon deleted' }, 'doomed-api')
  assert.is((await build(ada)).code, 0)
  await fs.rm(await ada.postFile('doomed-api'))
  assert.is((await build(ada, [], { PEERFEED_BUILD_KILL_AT: 'complete' })).code, -1)
  const server = await ada.serve()
  try {
    // dist/ still holds the post (the kill came before the swap): the API agrees with the files it serves
    const body = await (await fetch(new URL('/api/v1/public?since=0&limit=1000', server.url))).text()
    assert.ok(body.includes('doomed-api'), 'API and tree agree: the old build is still the live one')
    assert.is((await build(ada)).code, 0)
    const again = (await (await fetch(new URL('/api/v1/public?since=0&limit=1000', server.url))).json()) as { posts: Entry[] }
    assert.ok(
      again.posts.every((e) => !e.id.endsWith('/doomed-api') || e.deleted),
      'the next build publishes the deletion',
    )
  } finally {
    await server.close()
  }
})

const lock = suite('build lock')
let cy: TestFeed
lock.before(async () => {
  cy = await makeFeed('cy')
  for (let i = 0; i < 20; i++) await writeTestPost(cy, { text: `post ${i}` })
})
lock.after(async () => cy?.close())

lock('two builds started together both finish: each waits its turn', async () => {
  // the test holds the lock first, so both builds surely meet a held lock; released, they race for it
  const release = await acquireLock(path.join(cy.layout.state, 'build', 'lock'))
  const builds = [startBuild(cy), startBuild(cy)]
  await Promise.all(builds.map((b) => b.waiting))
  await release()
  const [a, b] = await Promise.all(builds.map((b) => b.done))
  assert.is(a.code, 0, a.stderr)
  assert.is(b.code, 0, b.stderr)
  for (const r of [a, b]) assert.match(r.stderr, `another build (pid ${process.pid}) is running in this feed; waiting for it to finish`)
  assert.ok((await allFiles(cy.layout.dist)).includes('index.html'))
})

lock('a build refuses clearly when another one holds the lock past its wait', async () => {
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' })
  try {
    const file = path.join(cy.layout.state, 'build', 'lock')
    await fs.writeFile(file, `${sleeper.pid}\n`)
    await rejects(buildFeed(cy.layout, { lockWaitMs: 300 }), (e: Error & { code?: string }) => {
      assert.is(e.code, 'LOCKED')
      assert.match(e.message, `another build (pid ${sleeper.pid}) is running`)
      return true
    })
    await fs.rm(file)
  } finally {
    sleeper.kill()
  }
})

lock('a lock left by a dead process is taken over', async () => {
  const gone = await run(process.execPath, ['-e', 'console.log(process.pid)'])
  const file = path.join(cy.layout.state, 'build', 'lock')
  await fs.writeFile(file, `${gone.stdout.trim()}\n`)
  await writePostAndBuild(cy)
  await assert.not.ok(await fs.stat(file).catch(() => undefined), 'the lock is released after the build')
})

lock('acquireLock: a second holder in the same process waits until the first releases', async () => {
  const file = path.join(cy.layout.state, 'test-lock')
  const release = await acquireLock(file)
  let second = false
  const waiting = acquireLock(file, { pollMs: 10 }).then((r) => {
    second = true
    return r
  })
  await new Promise((r) => setTimeout(r, 100))
  assert.not.ok(second, 'the second waits')
  await release()
  await (await waiting)()
  assert.ok(second)
})

/** `peerfeed build` as a child process: `waiting` resolves once it says it waits for the lock, `done` at its exit. */
function startBuild(f: TestFeed) {
  const child = spawn(process.execPath, [BIN, 'build'], { cwd: f.layout.root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let onWait = () => {}
  const waiting = new Promise<void>((r) => (onWait = r))
  child.stdout.resume()
  child.stderr.on('data', (d) => {
    stderr += d
    if (stderr.includes('waiting for it to finish')) onWait()
  })
  const done = new Promise<{ code: number; stderr: string }>((r) =>
    child.on('close', (code) => {
      onWait()
      r({ code: code ?? -1, stderr })
    }),
  )
  return { waiting, done }
}

async function writePostAndBuild(f: TestFeed) {
  await writeTestPost(f, { text: 'one more' })
  const r = await buildFeed(f.layout, { lockWaitMs: 5_000 })
  assert.ok(r.changed)
}

kill.run()
lock.run()
