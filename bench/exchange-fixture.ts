// A synthetic owner for the exchange bench: dist/ pages and the build manifest written straight with the crypto
// facade (as the build would), so 100,000 posts take seconds instead of a full site build.
import fs from 'node:fs/promises'
import path from 'node:path'
import { encryptAndSign, readPublicKey, readSecretKey, signDetached } from '../src/crypto/index.ts'
import { writeFileAtomic } from '../src/fs-atomic.ts'
import { pageName, friendNameKey } from '../src/build/page-names.ts'
import { entryHash } from '../src/protocol/canonical.ts'
import type { BuildManifest } from '../src/protocol/build-manifest.ts'
import type { Entry, PageRef, PublicManifest } from '../src/protocol/wire.ts'
import type { Layout } from '../src/paths.ts'

const WORDS = 'snow garden river morning coffee friends market bike train book music rain sun walk city forest'.split(' ')

/** Writes `n` posts (every `publicEvery`-th public, the rest for `friend`) as pages of 100; returns the manifest. */
export async function writeSyntheticBuild(
  owner: Layout,
  friend: { name: string; keyFile: string },
  n: number,
  { publicEvery = 10, start = 1_700_000_000_000 } = {},
): Promise<BuildManifest> {
  const secret = await readSecretKey(await fs.readFile(owner.selfSecretKey, 'utf8'))
  const friendKey = await readPublicKey(await fs.readFile(friend.keyFile, 'utf8'))
  const fpr = secret.fingerprint
  const pub: Entry[] = []
  const priv: Entry[] = []
  for (let i = 0; i < n; i++) {
    const published = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const text = `Post ${i} — ${Array.from({ length: 12 + (i % 30) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ')}.`
    const entry: Entry = {
      cursor: String(start + i),
      id: `${fpr}/${published.replace(/:/g, '-')}-post-${i}`,
      post: { type: 'status', published, tags: [WORDS[i % WORDS.length]], text },
    }
    ;(i % publicEvery === 0 ? pub : priv).push(entry)
  }
  const dist = owner.dist
  await fs.rm(dist, { recursive: true, force: true })
  await fs.mkdir(path.join(dist, 'api', 'public'), { recursive: true })
  await fs.mkdir(path.join(dist, 'p'), { recursive: true })
  await fs.copyFile(owner.selfPublicKey, path.join(dist, 'key.asc'))
  const chunks = <T>(a: T[]) => Array.from({ length: Math.ceil(a.length / 100) }, (_, i) => a.slice(i * 100, i * 100 + 100))
  const types = ['status']
  const pubRefs: PageRef[] = []
  for (const entries of chunks(pub)) {
    const name = entries[0].cursor
    const manifest: PublicManifest = {
      v: 1,
      owner: fpr,
      page: name,
      first: entries[0].cursor,
      last: entries[entries.length - 1].cursor,
      hashes: entries.map(entryHash),
    }
    const text = JSON.stringify(manifest)
    await fs.writeFile(path.join(dist, 'api', 'public', `${name}.json`), JSON.stringify({ v: 1, owner: fpr, page: name, entries }))
    await fs.writeFile(path.join(dist, 'api', 'public', `${name}.manifest.json`), text)
    await fs.writeFile(path.join(dist, 'api', 'public', `${name}.manifest.json.asc`), await signDetached({ data: text, signer: secret }))
    pubRefs.push({ name, audience: 'public', first: manifest.first, last: manifest.last, count: entries.length, types })
  }
  await fs.writeFile(path.join(dist, 'api', 'public', 'index.json'), JSON.stringify({ v: 1, owner: fpr, pages: pubRefs }))
  const nameKey = friendNameKey(secret, friendKey)
  const privRefs: PageRef[] = []
  for (const entries of chunks(priv)) {
    const name = pageName(nameKey, Number(entries[0].cursor))
    await fs.writeFile(
      path.join(dist, 'p', `${name}.asc`),
      await encryptAndSign({ data: JSON.stringify({ v: 1, owner: fpr, audience: 'you', entries }), to: [friendKey], signer: secret }),
    )
    privRefs.push({
      name,
      audience: 'you',
      first: entries[0].cursor,
      last: entries[entries.length - 1].cursor,
      count: entries.length,
      types,
    })
  }
  const manifest: BuildManifest = {
    v: 1,
    owner: fpr,
    builtAt: new Date().toISOString(),
    last: String(start + n - 1),
    public: { pages: pubRefs },
    audiences: [{ key: `friend:${friend.name}`, kind: 'friend', name: friend.name, members: [friendKey.fingerprint], pages: privRefs }],
  }
  await writeFileAtomic(path.join(owner.state, 'build', 'manifest.json'), JSON.stringify(manifest))
  return manifest
}
