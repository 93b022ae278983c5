// `peerfeed peer add NAME ADDRESS` with a friend's PeerFeed address also follows them there, so the next sync brings
// their posts; a key file (or a key's URL) only adds the key.
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFollows } from '../../src/sync/follows.ts'
import { cli } from '../helpers/index.ts'
import { makeFeed } from '../helpers/peers.ts'

test('peer add with an address follows it (sync then fetches); with a key file or --no-follow it does not', async () => {
  const [sam, carol, dora] = await Promise.all([makeFeed('sam'), makeFeed('carol'), makeFeed('dora')])
  try {
    await carol.befriend(sam)
    await carol.post({ text: 'Carol, for Sam only', to: ['sam'] })
    await carol.build()
    const url = (await carol.serve()).url
    const added = await cli(['peer', 'add', 'carol', url, '--root', sam.layout.root])
    assert.is(added.code, 0, added.stderr)
    assert.match(added.stdout, new RegExp(`following "carol" at ${url}`))
    assert.equal(await readFollows(sam.layout), [{ name: 'carol', url }])
    const synced = await cli(['sync', '--root', sam.layout.root])
    assert.is(synced.code, 0, synced.stderr)
    assert.is((await sam.inbox('carol')).length, 1)

    const file = path.join(dora.layout.root, 'keys/self.asc')
    assert.is((await cli(['peer', 'add', 'dora', file, '--root', sam.layout.root])).code, 0)
    await dora.build()
    const doraUrl = (await dora.serve()).url
    await fs.rm(path.join(sam.layout.root, 'keys/dora.asc'))
    const noFollow = await cli(['peer', 'add', 'dora', doraUrl, '--no-follow', '--root', sam.layout.root])
    assert.is(noFollow.code, 0, noFollow.stderr)
    assert.not.match(noFollow.stdout, /following/)
    assert.equal(
      (await readFollows(sam.layout)).map((f) => f.name),
      ['carol'],
    )
  } finally {
    await Promise.all([sam.close(), carol.close(), dora.close()])
  }
})

test.run()
