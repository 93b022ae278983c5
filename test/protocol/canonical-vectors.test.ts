// The canonical JSON test vectors in docs/protocol.md (RFC 8785 numbers, key order, escapes), checked against the code.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { canonicalJson, sha256Hex } from '../../src/protocol/canonical.ts'
import { REPO } from '../helpers/index.ts'

const test = suite('canonical JSON vectors')

test('every vector in docs/protocol.md canonicalises and hashes as documented', async () => {
  const doc = await fs.readFile(path.join(REPO, 'docs/protocol.md'), 'utf8')
  const block = /### Canonical JSON[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)
  assert.ok(block, 'docs/protocol.md has a "Canonical JSON" block')
  const vectors = JSON.parse(block![1]) as { input: string; canonical: string; sha256: string }[]
  assert.ok(vectors.length >= 5)
  const covered = vectors.map((v) => v.canonical).join('\n')
  // the cases the docs promise are really among the vectors
  for (const must of ['1e+21', '1e-7', '5e-324', '\u2028', '\ud83d\ude00', ',0,'])
    assert.ok(covered.includes(must), `no vector covers ${JSON.stringify(must)}`)
  for (const v of vectors) {
    const got = canonicalJson(JSON.parse(v.input))
    assert.is(got, v.canonical, v.input)
    assert.is(sha256Hex(got), v.sha256, v.input)
  }
})

test.run()
