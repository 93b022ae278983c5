// A sync stopped between taking a friend's rotation (keys/history/ and keys/NAME.asc written) and writing its state
// keeps its cursors: the state under the friend's earlier key is still theirs. Under any other key it starts over.
import fs from 'node:fs/promises'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { friendHistoryFile } from '../../src/identity/key-life.ts'
import { layout } from '../../src/paths.ts'
import { readState, writeState } from '../../src/sync/sync-state.ts'
import { tempDir } from '../helpers/index.ts'

test('readState keeps the cursors of a state kept under the friend’s earlier key, not under a stranger’s', async () => {
  const l = layout(await tempDir('peerfeed-state-'))
  const [oldFp, newFp, otherFp] = ['a', 'b', 'c'].map((c) => c.repeat(40))
  await writeState(l, 'ada', { v: 1, fingerprint: oldFp, cursor: '42', publicCursor: null, held: {} })
  // not yet in keys/history/: a different key, so the state starts over
  assert.is((await readState(l, 'ada', newFp)).cursor, null)
  await fs.mkdir(path.dirname(friendHistoryFile(l, 'ada', oldFp)), { recursive: true })
  await fs.writeFile(friendHistoryFile(l, 'ada', oldFp), 'the old key')
  const kept = await readState(l, 'ada', newFp)
  assert.is(kept.cursor, '42')
  assert.is(kept.fingerprint, newFp)
  // another friend's history says nothing about ada's state
  await fs.writeFile(friendHistoryFile(l, 'bob', otherFp), 'bob’s old key')
  await writeState(l, 'ada', { v: 1, fingerprint: otherFp, cursor: '7', publicCursor: null, held: {} })
  assert.is((await readState(l, 'ada', newFp)).cursor, null)
})

test.run()
