// Flushing a batch: one flush of the file system where Linux offers it (syncfs through `sync -f`), else file by file.
import fs from 'node:fs'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fileSystemFlushOffered, flushFileSystems, kernelReportsFlushErrors, unwrittenBytes } from '../../src/sync/flush-files.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('flush files')

test('the file system flush is used only on kernels whose syncfs reports write errors (Linux 5.8 and later)', () => {
  assert.is(kernelReportsFlushErrors('5.4.0-150-generic'), false)
  assert.is(kernelReportsFlushErrors('4.19.0'), false)
  assert.is(kernelReportsFlushErrors('5.8.0'), true)
  assert.is(kernelReportsFlushErrors('6.18.44-fc-v657'), true)
  assert.is(kernelReportsFlushErrors('not a version'), false)
})

test("other programs' unwritten data is read from meminfo (Dirty + Writeback); unreadable means unknown", async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'meminfo')
  fs.writeFileSync(file, 'MemTotal:       24684540 kB\nDirty:               100 kB\nWriteback:            20 kB\n')
  assert.is(unwrittenBytes(file), 120 * 1024)
  fs.writeFileSync(file, 'MemTotal:       24684540 kB\n')
  assert.is(unwrittenBytes(file), undefined)
  assert.is(unwrittenBytes(path.join(dir, 'missing')), undefined)
})

test('a flush of the file system where offered; a folder that is gone or a small batch leaves it to fdatasync', async () => {
  const dir = await tempDir()
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'a')
  const waited = await flushFileSystems([dir], { files: 1, bytes: 1 })
  if (fileSystemFlushOffered()) assert.is(waited, 0, 'flushed, without a limit on what others left unwritten')
  else assert.is(waited, undefined, 'not offered on this system')
  assert.is(await flushFileSystems([path.join(dir, 'gone')], { files: 1, bytes: 1 }), undefined)
  assert.is(await flushFileSystems([dir], { files: 3, bytes: 3, allowance: 1 << 30 }), undefined, 'fewer files than FS_FLUSH_MIN_FILES')
})

test.run()
