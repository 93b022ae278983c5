// Feeds and friends for identity tests: a temp root with an owner identity, and friends' key files.
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateIdentity, readSecretKey, revokeIdentity } from '../../src/crypto/index.ts'
import { PeerFeedError } from '../../src/errors.ts'
import { ensureIdentity } from '../../src/identity/index.ts'
import { layout, type Layout } from '../../src/paths.ts'
import { tempDir } from '../helpers/index.ts'

export async function feed(name = 'Owner'): Promise<Layout> {
  const l = layout(await tempDir())
  await ensureIdentity(l, { name, email: `${name.toLowerCase()}@example.org` })
  return l
}

/** A friend's key written to a file outside the feed; returns the file and the fingerprint. */
export async function friendKey(
  name: string,
  opts: { expired?: boolean; revoked?: boolean; secret?: boolean } = {},
): Promise<{ file: string; fingerprint: string; armored: string }> {
  const id = await generateIdentity({
    name,
    email: `${name.toLowerCase()}@example.org`,
    ...(opts.expired ? { date: new Date(Date.now() - 3 * 86400_000), expiresIn: 86400 } : {}),
  })
  let armored = opts.secret ? id.secretArmored : id.publicArmored
  if (opts.revoked) armored = await revokeIdentity({ key: await readSecretKey(id.secretArmored) })
  const file = path.join(await tempDir('peerfeed-key-'), `${name.toLowerCase()}.asc`)
  await fs.writeFile(file, armored)
  return { file, fingerprint: id.fingerprint, armored }
}

/** Awaits a rejection with a PeerFeedError of `code` whose message matches. */
export async function refused(p: Promise<unknown>, code: string, message?: RegExp): Promise<PeerFeedError> {
  try {
    await p
  } catch (e) {
    if (!(e instanceof PeerFeedError)) throw e
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`)
    if (message && !message.test(e.message)) throw new Error(`message "${e.message}" does not match ${message}`)
    return e
  }
  throw new Error(`expected ${code}, but it succeeded`)
}
