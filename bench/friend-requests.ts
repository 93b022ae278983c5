// Bench setup shared by the exchange benches: two feeds that know each other, and signed, encrypted
// `POST /api/v1/updates` bodies from the friend to the owner.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import { buildFeed } from '../src/build/build.ts'
import { encryptAndSign, readPublicKey, readSecretKey } from '../src/crypto/index.ts'
import { addPeer } from '../src/identity/index.ts'
import { type Layout, layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { writePost } from '../src/posts/write-post.ts'
import { tmp } from './util.ts'

/** Alice and Bob, each with the other's key. */
export async function feedPair(): Promise<{ alice: Layout; bob: Layout }> {
  const alice = layout(await tmp('peerfeed-bench-alice-'))
  const bob = layout(await tmp('peerfeed-bench-bob-'))
  await initFeed(alice, { name: 'Alice', email: 'alice@example.org' })
  await initFeed(bob, { name: 'Bob', email: 'bob@example.org' })
  await addPeer(alice, 'bob', bob.selfPublicKey)
  await addPeer(bob, 'alice', alice.selfPublicKey)
  return { alice, bob }
}

/** `n` distinct, valid update requests from Bob to Alice (a fresh nonce each) asking for what is after `since`. */
export async function updateRequests(alice: Layout, bob: Layout, since: string | null, n: number): Promise<string[]> {
  const to = await readPublicKey(await fs.readFile(alice.selfPublicKey, 'utf8'))
  const signer = await readSecretKey(await fs.readFile(bob.selfSecretKey, 'utf8'))
  const bodies: string[] = []
  for (let i = 0; i < n; i++) {
    const data = JSON.stringify({
      since,
      limit: 500,
      nonce: crypto.randomBytes(16).toString('hex'),
      sentAt: new Date().toISOString(),
      server: to.fingerprint,
    })
    bodies.push(await encryptAndSign({ data, to: [to], signer }))
  }
  return bodies
}

/** The pair, Alice's feed built with one post for Bob, and `n` requests from Bob (updateRequests). */
export async function pairWithRequests(n: number, since: string | null): Promise<{ alice: Layout; bob: Layout; bodies: string[] }> {
  const { alice, bob } = await feedPair()
  await writePost(alice, { data: { type: 'status', text: 'for bob', to: ['bob'] } })
  await buildFeed(alice)
  return { alice, bob, bodies: await updateRequests(alice, bob, since, n) }
}
