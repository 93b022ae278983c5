// `key rotate` while `serve` runs (no restart): a friend who knows only the old key still gets answers, learns the
// new key from the hand-over carried in the answer (never from key-rotation.json), and moves to it; a forged
// hand-over in the answer is refused and stores nothing; the server also picks up a revocation without a restart.
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decryptAndVerify, generateIdentity, readPublicKey, readSecretKey, signDetached } from '../../src/crypto/index.ts'
import { oldKeysDir, revokeSelf } from '../../src/identity/key-life.ts'
import { ROTATION_PATH } from '../../src/protocol/wire.ts'
import { readState } from '../../src/sync/sync-state.ts'
import { cli, run } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { editJson, relay, type Relay } from '../helpers/relay.ts'

const test = suite('key rotation in the exchange answers')
const closers: (() => Promise<void> | void)[] = []
test.after(async () => {
  for (const c of closers.reverse()) await c()
})

async function pair(a: string, b: string): Promise<[TestFeed, TestFeed]> {
  const [x, y] = await Promise.all([makeFeed(a), makeFeed(b)])
  closers.push(
    () => x.close(),
    () => y.close(),
  )
  await x.befriend(y)
  await y.befriend(x)
  return [x, y]
}

/** What passed through a relay: update requests (armored) and answers (JSON text), and every path asked. */
async function watch(target: string, forge?: unknown[]): Promise<Relay & { requests: string[]; answers: string[] }> {
  const requests: string[] = []
  const answers: string[] = []
  const r = await relay(target, async (req, forward) => {
    let a = await forward()
    if (req.path.startsWith('/api/v1/updates')) {
      requests.push(req.body.toString('utf8'))
      if (forge && a.status === 200) a = editJson(a, (v) => ({ ...v, key_rotation: forge }))
      answers.push(a.body.toString())
    }
    return a
  })
  closers.push(() => r.close())
  return Object.assign(r, { requests, answers })
}

/** A hand-over from `old` to Mallory's key, signed by Mallory alone (twice): what a hostile relay could inject. */
async function forgedRotation(old: string): Promise<unknown[]> {
  const mallory = await generateIdentity({ name: 'Ada' })
  const mk = await readSecretKey(mallory.secretArmored)
  const statement = JSON.stringify({
    v: 1,
    type: 'peerfeed-key-rotation',
    old,
    new: mallory.fingerprint,
    date: new Date().toISOString(),
    key: mallory.publicArmored,
  })
  const sig = await signDetached({ data: statement, signer: mk })
  return [{ v: 1, statement, signatures: { old: sig, new: sig } }]
}

const keyOf = async (file: string) => (await readPublicKey(await fs.readFile(file, 'utf8'))).fingerprint
const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  )

async function followsRotation(workers: number) {
  const [ada, bob] = await pair(`ada${workers}`, `bob${workers}`)
  // Carol knows Ada's old key too, but first syncs only after Ada deleted the old secret
  const carol = await makeFeed(`carol${workers}`)
  closers.push(() => carol.close())
  await ada.befriend(carol)
  await carol.befriend(ada)
  const name = ada.name
  const p1 = await ada.post({ text: 'with the old key', to: [bob.name, carol.name] })
  await ada.build()
  const server = await ada.serve({ decryptWorkers: workers }) // runs from here to the end: never restarted
  await bob.follow(name, server.url)
  assert.is((await bob.sync()).new, 1)
  const oldFp = ada.fingerprint
  const adaFile = path.join(bob.layout.keys, `${name}.asc`)
  const history = path.join(bob.layout.keys, 'history', `${name}-${oldFp}.asc`)

  // the real command, in its own process, while the server runs
  const rotated = await cli(['key', 'rotate', '--root', ada.layout.root], { env: { PEERFEED_PASSPHRASE: '' } })
  assert.is(rotated.code, 0, rotated.stderr)
  const newFp = await keyOf(ada.layout.selfPublicKey)
  assert.is.not(newFp, oldFp)
  const p2 = await ada.post({ text: 'with the new key', to: [bob.name, carol.name] })
  await ada.build()

  // a relay that swaps the hand-over in the answer for Mallory's: refused, nothing stored, keys untouched
  const hostile = await watch(server.url, await forgedRotation(oldFp))
  await bob.follow(name, hostile.url)
  const stateBefore = JSON.stringify(await readState(bob.layout, name, oldFp))
  const keyBefore = await fs.readFile(adaFile, 'utf8')
  const f = await bob.sync()
  const err = f.friends[0].error
  assert.is(err?.code, 'KEY_ROTATION_REFUSED', JSON.stringify(f.friends[0]))
  assert.match(err!.message, 'not signed by the key you know')
  assert.match(err!.message, `peerfeed peer add ${name} KEY`)
  assert.is(await fs.readFile(adaFile, 'utf8'), keyBefore, 'keys/NAME.asc untouched')
  assert.not.ok(await exists(history), 'no history written')
  assert.equal(await bob.inbox(name), [p1], 'nothing stored from the answer')
  assert.is(JSON.stringify(await readState(bob.layout, name, oldFp)), stateBefore, 'cursors untouched')

  // a relay that pads the hand-over past any real one: refused before a statement is read, nothing stored
  const padded = await watch(
    server.url,
    Array.from({ length: 5000 }, () => ({ statement: `{"old":"${oldFp}"}`, signatures: [] })),
  )
  await bob.follow(name, padded.url)
  const big = (await bob.sync()).friends[0].error
  assert.is(big?.code, 'KEY_ROTATION_REFUSED')
  assert.match(big!.message, 'bigger than any real one')
  assert.is(await fs.readFile(adaFile, 'utf8'), keyBefore, 'keys/NAME.asc untouched')
  assert.equal(await bob.inbox(name), [p1], 'nothing stored from the answer')
  assert.is(JSON.stringify(await readState(bob.layout, name, oldFp)), stateBefore, 'cursors untouched')

  // the same server, straight: Bob asks with the key he knows and follows the hand-over in the answer
  const seen = await watch(server.url)
  await bob.follow(name, seen.url)
  const s = await bob.sync()
  assert.is(s.failed, 0, JSON.stringify(s.friends[0].error))
  assert.ok(
    s.friends[0].notes.some((n) => n.includes(`${name} moved to a new key`) && n.includes('old key kept in keys/history/')),
    JSON.stringify(s.friends[0].notes),
  )
  assert.equal(await bob.inbox(name), [p1, p2].sort())
  assert.is(await keyOf(adaFile), newFp)
  assert.is(await keyOf(history), oldFp)
  assert.not.ok(
    seen.seen.some((p) => p.includes(ROTATION_PATH)),
    `the hand-over came from the answer, not ${ROTATION_PATH}: ${seen.seen}`,
  )
  // the request went to the old key (the server opened it with the secret kept in .peerfeed/old-keys/)
  const asked = await decryptAndVerify({ message: seen.requests[0], key: ada.secretKey, signers: [bob.publicKey] })
  assert.is(JSON.parse(asked.text()).server, oldFp)
  assert.ok(Array.isArray(JSON.parse(seen.answers[0]).key_rotation), 'the first answer carries the hand-over')

  // the next sync speaks to the new key only: it still works once the old secret is gone (no restart either)
  await fs.rm(path.join(oldKeysDir(ada.layout), `${oldFp}.secret.asc`))
  const p3 = await ada.post({ text: 'later', to: [bob.name, carol.name] })
  await ada.build()
  const again = await bob.sync()
  assert.is(again.failed, 0, JSON.stringify(again.friends[0].error))
  assert.is(again.new, 1)
  assert.ok((await bob.inbox(name)).includes(p3))
  assert.is(again.friends[0].notes.filter((n) => n.includes('new key')).length, 0)
  const newKey = await readSecretKey(await fs.readFile(ada.layout.selfSecretKey, 'utf8'))
  const last = seen.requests[seen.requests.length - 1]
  assert.is(JSON.parse((await decryptAndVerify({ message: last, key: newKey, signers: [bob.publicKey] })).text()).server, newFp)
  assert.not.ok('key_rotation' in JSON.parse(seen.answers[seen.answers.length - 1]))

  // Carol still asks with the old key: refused (not_for_me), she follows key-rotation.json and asks again
  await carol.follow(name, server.url)
  const c = await carol.sync()
  assert.is(c.failed, 0, JSON.stringify(c.friends[0].error))
  assert.ok(
    c.friends[0].notes.some((n) => n.includes(`${name} moved to a new key`)),
    JSON.stringify(c.friends[0].notes),
  )
  assert.equal(await carol.inbox(name), [p1, p2, p3].sort())
  assert.is(await keyOf(path.join(carol.layout.keys, `${name}.asc`)), newFp)

  // no secret key ever reached an answer, dist/ or git
  for (const a of [...seen.answers, ...hostile.answers]) assert.not.match(a, 'PRIVATE KEY')
  const dist = await fs.readdir(await fs.realpath(ada.layout.dist), { recursive: true, withFileTypes: true })
  for (const e of dist.filter((d) => d.isFile()))
    assert.not.match(await fs.readFile(path.join(e.parentPath, e.name), 'utf8'), 'PRIVATE KEY', e.name)
  const tracked = await run('git', ['-C', ada.layout.root, 'ls-files'])
  assert.not.match(tracked.stdout, /old-keys|secret/)

  // a revocation is picked up without a restart too: the server answers nothing under a revoked key
  await revokeSelf(ada.layout)
  const r = await bob.sync()
  assert.is(r.friends[0].error?.code, 'REFUSED', JSON.stringify(r.friends[0]))
  assert.match(r.friends[0].error!.message, 'revoked their key')
}

test('a server running since before `key rotate` answers the old key, hands over in its answer, then the new key', () => followsRotation(0))
test('the same with decrypt workers: each worker picks up the new and the old key', () => followsRotation(1))

test.run()
