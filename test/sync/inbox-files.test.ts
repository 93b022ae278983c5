// The inbox writer: a batch is invisible until committed, then whole; new month folders move into place at once.
import fs from 'node:fs'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InboxWriter, sweepTemp } from '../../src/sync/inbox-files.ts'
import { allFiles } from '../helpers/feeds.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('inbox files')

async function setup() {
  const root = await tempDir()
  const inbox = path.join(root, 'inbox', 'alice')
  const staging = path.join(root, '.peerfeed', 'sync', 'staging', 'alice')
  fs.mkdirSync(path.join(inbox, '2026', '10'), { recursive: true })
  fs.writeFileSync(path.join(inbox, '2026', '10', 'old.yaml'), 'old')
  return { root, inbox, staging, w: new InboxWriter({ staging }) }
}

test('nothing of a batch is visible before its commit; after it every file is whole and in place', async () => {
  const { inbox, staging, w } = await setup()
  await w.write(path.join(inbox, '2026/10/a.yaml'), 'a in an existing month')
  await w.write(path.join(inbox, '2026/11/b.yaml'), 'b in a new month')
  await w.write(path.join(inbox, '2026/11/c.png'), new Uint8Array([1, 2, 3]))
  w.remove(path.join(inbox, '2026/10/old.yaml'))
  const visible = async () => (await allFiles(inbox)).filter((f) => !path.basename(f).startsWith('.')).sort()
  assert.equal(await visible(), ['2026/10/old.yaml'], 'only hidden temp files until the commit')
  assert.is(w.read(path.join(inbox, '2026/11/b.yaml'))?.toString(), 'b in a new month', 'the batch reads its own writes')
  assert.is(w.read(path.join(inbox, '2026/10/old.yaml')), undefined, 'and its own removals')
  await w.commit()
  assert.equal((await allFiles(inbox)).sort(), ['2026/10/a.yaml', '2026/11/b.yaml', '2026/11/c.png'])
  assert.is(fs.readFileSync(path.join(inbox, '2026/11/b.yaml'), 'utf8'), 'b in a new month')
  assert.equal([...fs.readFileSync(path.join(inbox, '2026/11/c.png'))], [1, 2, 3])
  assert.equal(fs.readdirSync(staging), [], 'the staging folder is left empty')
  // the next batch writes into the month that now exists, by temp + rename
  await w.write(path.join(inbox, '2026/11/d.yaml'), 'd')
  await w.write(path.join(inbox, '2026/11/d.yaml'), 'd, newer')
  await w.commit()
  assert.is(fs.readFileSync(path.join(inbox, '2026/11/d.yaml'), 'utf8'), 'd, newer')
  assert.equal((await allFiles(inbox)).sort(), ['2026/10/a.yaml', '2026/11/b.yaml', '2026/11/c.png', '2026/11/d.yaml'])
})

test('an aborted batch, or one cut short by a crash and swept, leaves the inbox as it was', async () => {
  const { inbox, staging, w } = await setup()
  await w.write(path.join(inbox, '2026/10/a.yaml'), 'a')
  await w.write(path.join(inbox, '2027/01/b.yaml'), 'b')
  w.remove(path.join(inbox, '2026/10/old.yaml'))
  w.abort()
  assert.equal(await allFiles(inbox), ['2026/10/old.yaml'])
  const crashed = new InboxWriter({ staging })
  await crashed.write(path.join(inbox, '2026/10/a.yaml'), 'a')
  await crashed.write(path.join(inbox, '2027/02/b.yaml'), 'b')
  // no commit: the process died here
  await sweepTemp(inbox, staging)
  assert.equal(await allFiles(inbox), ['2026/10/old.yaml'])
  assert.not.ok(fs.existsSync(staging))
})

test.run()
