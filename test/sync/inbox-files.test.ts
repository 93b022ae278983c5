// The inbox writer: a batch is invisible until committed, then whole; new month folders move into place at once.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { type FlushMode, fileSystemFlushOffered } from '../../src/sync/flush-files.ts'
import { InboxWriter, sweepTemp } from '../../src/sync/inbox-files.ts'
import { allFiles } from '../helpers/feeds.ts'
import { REPO, tempDir } from '../helpers/index.ts'

const test = suite('inbox files')

async function setup(flush: FlushMode = 'auto') {
  const root = await tempDir()
  const inbox = path.join(root, 'inbox', 'alice')
  const staging = path.join(root, '.peerfeed', 'sync', 'staging', 'alice')
  fs.mkdirSync(path.join(inbox, '2026', '10'), { recursive: true })
  fs.writeFileSync(path.join(inbox, '2026', '10', 'old.yaml'), 'old')
  return { root, inbox, staging, w: new InboxWriter({ staging, flush }) }
}

// flushed file by file, or by one flush of the file system (Linux's syncfs, where this system offers it)
for (const flush of ['files', 'fs'] as const)
  test(`nothing of a batch is visible before its commit; after it every file is whole and in place (flush: ${flush})`, async () => {
    const { inbox, staging, w } = await setup(flush)
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
    const byFs = flush === 'fs' && fileSystemFlushOffered()
    assert.equal(w.flushes, { fs: byFs ? 2 : 0, files: byFs ? 0 : 2 }, 'each batch flushed the way asked')
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

for (const flush of ['files', 'fs'] as const)
  test(`a batch bigger than the file descriptors a process may hold still writes and flushes every file (compiled code, ulimit -n 64, flush: ${flush})`, async () => {
    const { inbox, staging } = await setup()
    const lib = path.join(REPO, 'lib/sync/inbox-files.js')
    if (!fs.existsSync(lib)) execFileSync(process.execPath, [path.join(REPO, 'scripts/compile.js')])
    const script = `const { InboxWriter } = await import(${JSON.stringify(lib)});
const w = new InboxWriter({ staging: ${JSON.stringify(staging)}, flush: '${flush}' });
const dir = ${JSON.stringify(path.join(inbox, '2026', '10'))};
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => { while (next < 300) { const i = next++; await w.write(dir + '/p' + i + '.yaml', 'post ' + i) } }));
await w.commit();
console.log(JSON.stringify(w.flushes));`
    // eight writes at a time, as the store makes them; a hard limit the child cannot raise (node raises its soft
    // limit to the hard one)
    const file = path.join(inbox, '..', 'many.mjs')
    fs.writeFileSync(file, script)
    const out = execFileSync('bash', ['-c', 'ulimit -n 64 && exec "$0" "$1"', process.execPath, file], { encoding: 'utf8' })
    const byFs = flush === 'fs' && fileSystemFlushOffered()
    assert.equal(JSON.parse(out), { fs: byFs ? 1 : 0, files: byFs ? 0 : 1 }, 'flushed the way asked')
    const files = (await allFiles(inbox)).filter((f) => f.startsWith('2026/10/p'))
    assert.is(files.length, 300)
    assert.is(fs.readFileSync(path.join(inbox, '2026/10/p299.yaml'), 'utf8'), 'post 299')
  })

test.run()
