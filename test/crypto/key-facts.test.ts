// The kept facts of a key (src/crypto/key-facts.ts) say what checking the key says, at every date, and are never
// used past an instant the key names (its expiry, a signature's creation).
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateIdentity, readPublicKey, readSecretKey, revokeIdentity } from '../../src/crypto/index.ts'
import { cachedFacts, factsKey } from '../../src/crypto/key-facts.ts'
import { tempDir } from '../helpers/index.ts'

const test = suite('key facts kept between runs')

const DAY = 86_400_000
const facts = (k: Awaited<ReturnType<typeof readPublicKey>>) => ({
  fingerprint: k.fingerprint,
  userIds: k.userIds,
  hasEncryptionKey: k.hasEncryptionKey,
  encryptionProblem: k.encryptionProblem,
  expired: k.expired,
  expiresAt: k.expiresAt,
  revoked: k.revoked,
})

test('kept facts equal a fresh check at every date, before, between and after the instants the key names', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'key-facts.json')
  const born = new Date(Date.now() - 10 * DAY)
  const plain = await generateIdentity({ name: 'Plain', date: born })
  const expiring = await generateIdentity({ name: 'Expiring', date: born, expiresIn: 20 * 86_400 })
  const revokedAt = new Date(born.getTime() + 5 * DAY)
  const revoked = await revokeIdentity({ key: await readSecretKey(plain.secretArmored), date: revokedAt })
  const keys = { plain: plain.publicArmored, expiring: expiring.publicArmored, revoked }
  // forwards through the key's life, then backwards (a clock set back must not reuse later facts)
  const days = [-1, 0, 1, 4, 6, 9, 11, 19, 21, 40]
  const dates = [...days, ...[...days].reverse()].map((d) => new Date(born.getTime() + d * DAY + 1234))
  let kept = 0
  for (const [name, text] of Object.entries(keys)) {
    for (const date of dates) {
      const fresh = facts(await readPublicKey(text, { date }))
      const hit = cachedFacts(file, factsKey(text), date) !== undefined
      if (hit) kept++
      const viaCache = facts(await readPublicKey(text, { date, factsFile: file }))
      assert.equal(viaCache, fresh, `${name} at day ${Math.round((date.getTime() - born.getTime()) / DAY)}`)
    }
  }
  assert.ok(kept > 10, `the kept facts were used (${kept} times)`)
  // the expiring key's facts found before its expiry are not used at or after it
  const e = expiring.publicArmored
  await readPublicKey(e, { date: new Date(born.getTime() + DAY), factsFile: file })
  assert.ok(cachedFacts(file, factsKey(e), new Date(born.getTime() + 2 * DAY)))
  assert.is(cachedFacts(file, factsKey(e), new Date(born.getTime() + 20 * DAY + 1000)), undefined)
  // the revoked key's facts found before the revocation's own time are not used after it
  await readPublicKey(revoked, { date: new Date(born.getTime() + DAY), factsFile: file })
  assert.is(cachedFacts(file, factsKey(revoked), new Date(revokedAt.getTime() + 1000)), undefined)
  await fs.rm(dir, { recursive: true, force: true })
})

test('the facts are kept on disk, and a damaged file is only a miss', async () => {
  const dir = await tempDir()
  const file = path.join(dir, 'cache', 'key-facts.json')
  const id = await generateIdentity({ name: 'Disk' })
  const k = await readPublicKey(id.publicArmored, { factsFile: file })
  const onDisk = JSON.parse(await fs.readFile(file, 'utf8')) as { entries: [string, [{ fingerprint: string }]][] }
  assert.is(onDisk.entries.find(([h]) => h === factsKey(id.publicArmored))?.[1][0].fingerprint, k.fingerprint)
  const other = path.join(dir, 'damaged.json')
  await fs.writeFile(other, '{"v":1,"entries":[["x",[{"fingerprint":1}]]]')
  const again = await readPublicKey(id.publicArmored, { factsFile: other })
  assert.is(again.fingerprint, k.fingerprint)
  await fs.rm(dir, { recursive: true, force: true })
})

test.run()
