// The test vectors in docs/page-names.md: two fixed key pairs → shared secret → index name → first page name,
// checked against the code and against a plain HKDF/HMAC computation from the text of the docs alone.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { blobName, friendIndexName, PAGE_NAME_INFO, pageName } from '../../src/build/page-names.ts'
import { SHARED_SECRET_LABEL, x25519Public, x25519Secret } from '../../src/crypto/index.ts'
import { REPO } from '../helpers/index.ts'

const test = suite('page-name test vectors')

async function vectors(): Promise<Record<string, string>> {
  const doc = await fs.readFile(path.join(REPO, 'docs/page-names.md'), 'utf8')
  const block = /## Test vectors[\s\S]*?```text\n([\s\S]*?)```/.exec(doc)
  assert.ok(block, 'docs/page-names.md has a "Test vectors" text block')
  const out: Record<string, string> = {}
  for (const line of block![1].split('\n')) {
    const i = line.indexOf(': ')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 2)
  }
  return out
}

const hex = (s: string) => Buffer.from(s, 'hex')

test('the documented keys, secret, index name and page names are what the code computes', async () => {
  const v = await vectors()
  const ownerSecret = hex(v['owner X25519 secret (little-endian)'])
  const friendSecret = hex(v['friend X25519 secret (little-endian)'])
  assert.is(x25519Public(ownerSecret).toString('hex'), v['owner X25519 public'])
  assert.is(x25519Public(friendSecret).toString('hex'), v['friend X25519 public'])
  assert.is(
    Buffer.from(ownerSecret).reverse().toString('hex'),
    v['owner X25519 secret as stored in its OpenPGP key packet (d, big-endian)'],
  )
  assert.is(`40${v['owner X25519 public']}`, v['owner X25519 public as stored in its OpenPGP key packet (Q)'])
  assert.is(v['HKDF info'], JSON.stringify(PAGE_NAME_INFO))

  const owner = v['owner fingerprint']
  const friend = v['friend fingerprint']
  const bySide = [
    x25519Secret({ scalar: ownerSecret, point: hex(v['friend X25519 public']), mine: owner, theirs: friend, info: PAGE_NAME_INFO }),
    x25519Secret({ scalar: friendSecret, point: hex(v['owner X25519 public']), mine: friend, theirs: owner, info: PAGE_NAME_INFO }),
  ]
  for (const key of bySide) {
    assert.is(key.toString('hex'), v['friend key (HKDF-SHA256, 32 bytes)'])
    assert.is(friendIndexName(key), v['index name'])
    assert.is(pageName(key, Number(v['first page cursor'])), v['first page name'])
    assert.is(blobName(key, v['attachment sha256']), v['attachment name'])
  }
})

test('the same values from the documented steps alone (X25519, HKDF-SHA256, HMAC-SHA256)', async () => {
  const v = await vectors()
  const der = (prefix: string, raw: string) => Buffer.concat([hex(prefix), hex(raw)])
  const ikm = crypto.diffieHellman({
    privateKey: crypto.createPrivateKey({
      key: der('302e020100300506032b656e04220420', v['owner X25519 secret (little-endian)']),
      format: 'der',
      type: 'pkcs8',
    }),
    publicKey: crypto.createPublicKey({ key: der('302a300506032b656e032100', v['friend X25519 public']), format: 'der', type: 'spki' }),
  })
  assert.is(ikm.toString('hex'), v['X25519 output (IKM)'])
  const salt = JSON.parse(v['HKDF salt']) as string
  assert.ok(salt.startsWith(`${SHARED_SECRET_LABEL}\n`))
  const key = Buffer.from(crypto.hkdfSync('sha256', ikm, Buffer.from(salt), Buffer.from(JSON.parse(v['HKDF info']) as string), 32))
  assert.is(key.toString('hex'), v['friend key (HKDF-SHA256, 32 bytes)'])
  const name = (label: string) => crypto.createHmac('sha256', key).update(label).digest().subarray(0, 16).toString('hex')
  assert.is(name('index'), v['index name'])
  assert.is(name(`page:${v['first page cursor']}`), v['first page name'])
  assert.is(name(`file:${v['attachment sha256']}`), v['attachment name'])
})

test.run()
