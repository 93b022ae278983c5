// The app's builds run in a process of their own (src/app/build-process.ts): the same build, its figures back over
// IPC, and a failure as the same error the build gives in-process.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildInChild } from '../../src/app/build-process.ts'
import { PeerFeedError } from '../../src/errors.ts'
import { makeFeed } from '../helpers/peers.ts'

const test = suite('app: a build in its own process')

test('builds the feed and answers what changed; a bad post gives the check error and leaves dist/ as it was', async () => {
  const ada = await makeFeed('ada')
  await ada.post({ text: 'First' })
  const first = await buildInChild(ada.layout)
  assert.ok(first.changed)
  assert.is(first.stats.posts, 1)
  assert.is(first.stats.publicPosts, 1)
  const home = await fs.readFile(path.join(ada.layout.dist, 'index.html'), 'utf8')
  assert.match(home, 'First')
  const again = await buildInChild(ada.layout)
  assert.not.ok(again.changed, 'nothing changed since')

  await fs.writeFile(path.join(ada.layout.feed, 'broken.yaml'), 'type: status\npublished: not a date\n')
  try {
    await buildInChild(ada.layout)
    assert.unreachable('the build should fail')
  } catch (e) {
    assert.instance(e, PeerFeedError)
    assert.is((e as PeerFeedError).code, 'CHECK_FAILED')
    assert.match((e as Error).message, 'feed/broken.yaml')
  }
  assert.is(await fs.readFile(path.join(ada.layout.dist, 'index.html'), 'utf8'), home)
  await ada.close()
})

test.run()
