// After a build from nothing (the first, or --full) the idle tree is made a copy of the live one, so the next build
// replays only its own changes. That build's tree is the same as a full build's; a kill while the copy is made costs
// only speed.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { allFiles, writeTestPost } from '../helpers/feeds.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('mirrored idle tree')
const build = async (f: TestFeed, args: string[] = [], env: Record<string, string> = {}) => {
  const r = await cli(['build', ...args], { cwd: f.layout.root, env })
  return r
}
/** every file of the live tree with its bytes */
async function tree(f: TestFeed): Promise<Map<string, string>> {
  const real = await fs.realpath(f.layout.dist)
  const out = new Map<string, string>()
  for (const p of (await allFiles(f.layout.dist)).sort()) out.set(p, await fs.readFile(path.join(real, p), 'utf8'))
  return out
}
/** the same minus what changes with every build (build time, signatures, page names of the new build) */
const paths = (t: Map<string, string>) => [...t.keys()].filter((p) => !p.startsWith('api/') && !p.startsWith('p/'))

for (const killed of [false, true]) {
  test(`the build after a full one${killed ? ' killed while mirroring' : ''} writes the same site as a full build`, async () => {
    const f = await makeFeed(killed ? 'mia' : 'max')
    const gone = await writeTestPost(f, { text: 'soon gone' })
    await writeTestPost(f, { text: 'stays' })
    const full = await build(f, [], killed ? { PEERFEED_BUILD_KILL_AT: 'mirror' } : {})
    assert.is(full.code, killed ? -1 : 0, full.stderr)
    assert.ok((await allFiles(f.layout.dist)).includes(`posts/${gone}/index.html`), 'the full build was committed before the copy')
    const idle = path.join(f.layout.state, 'build', 'tree-b', 'tree.json')
    assert.is(
      await fs.access(idle).then(
        () => true,
        () => false,
      ),
      !killed,
      killed ? 'a copy cut short is not marked complete' : 'the copy is marked complete',
    )

    await fs.rm(await f.postFile(gone))
    const added = await writeTestPost(f, { text: 'new one' })
    const next = await build(f)
    assert.is(next.code, 0, next.stderr)
    const incremental = await tree(f)
    assert.not.ok(incremental.has(`posts/${gone}/index.html`), 'the deleted post is gone')
    assert.match(incremental.get(`posts/${added}/index.html`) ?? '', 'new one')

    const again = await build(f, ['--full'])
    assert.is(again.code, 0, again.stderr)
    const fresh = await tree(f)
    assert.equal(paths(incremental), paths(fresh))
    for (const p of paths(fresh)) assert.is(incremental.get(p), fresh.get(p), p)
  })
}

test.run()
