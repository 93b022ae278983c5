// Feeds in temp dirs with real keys and git, in-process (fast): makeFeed('alice'), befriend(a, b), post(a, data).
import fs from 'node:fs/promises'
import path from 'node:path'
import { readSecretKey, readPublicKey, type PublicKey, type SecretKey } from '../../src/crypto/index.ts'
import { addPeer, addToGroup } from '../../src/identity/index.ts'
import { layout, type Layout } from '../../src/paths.ts'
import { initFeed } from '../../src/posts/init-feed.ts'
import { serializePost } from '../../src/posts/write-post.ts'
import { tempDir } from './index.ts'

export interface TestFeed {
  name: string
  layout: Layout
  fingerprint: string
  secretKey: SecretKey
  publicKey: PublicKey
}

export async function makeFeed(name: string): Promise<TestFeed> {
  const root = await tempDir(`peerfeed-${name}-`)
  const l = layout(root)
  const { fingerprint } = await initFeed(l, { name: name[0].toUpperCase() + name.slice(1), email: `${name}@example.org` })
  const secretKey = await readSecretKey(await fs.readFile(l.selfSecretKey, 'utf8'))
  const publicKey = await readPublicKey(await fs.readFile(l.selfPublicKey, 'utf8'))
  return { name, layout: l, fingerprint, secretKey, publicKey }
}

/** `a` adds `b`'s public key under b's name. */
export async function befriend(a: TestFeed, b: TestFeed, petname = b.name) {
  await addPeer(a.layout, petname, b.layout.selfPublicKey)
}

export const group = (a: TestFeed, name: string, members: string[]) => addToGroup(a.layout, name, members)

let counter = 0
/** Writes a post file directly (no git commit); returns its stem. */
export async function writeTestPost(f: TestFeed, data: Record<string, unknown>, stem?: string): Promise<string> {
  const published = (data.published as string) ?? new Date(Date.UTC(2026, 10, 24, 9, 0, counter++)).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const s = stem ?? `${published.replace(/:/g, '-')}-p${counter++}`
  const file = path.join(f.layout.feed, published.slice(0, 4), published.slice(5, 7), `${s}.yaml`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, serializePost({ type: 'status', published, ...data }))
  return s
}

/** Every file under a folder (following the dist symlink), relative paths. */
export async function allFiles(dir: string): Promise<string[]> {
  const real = await fs.realpath(dir)
  const out = await fs.readdir(real, { recursive: true, withFileTypes: true })
  return out.filter((e) => e.isFile()).map((e) => path.relative(real, path.join(e.parentPath, e.name)))
}
