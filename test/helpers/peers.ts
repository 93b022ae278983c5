// Two-peer setups in one line: `const alice = await makeFeed('alice')` → a feed in a temp dir with its identity,
// and helpers to post, befriend, build, serve and sync in-process (the CLI has its own tests).
import fs from 'node:fs/promises'
import path from 'node:path'
import { readPublicKey, readSecretKey, type PublicKey, type SecretKey } from '../../src/crypto/index.ts'
import { addPeer, addToGroup, block } from '../../src/identity/index.ts'
import { layout, type Layout } from '../../src/paths.ts'
import { initFeed } from '../../src/posts/init-feed.ts'
import { writePost, type NewPost } from '../../src/posts/write-post.ts'
import type { PostData } from '../../src/posts/types.ts'
import { startServer, type RunningServer } from '../../src/server/index.ts'
import type { Limits } from '../../src/server/limits.ts'
import { follow, syncAll, type SyncAllOptions, type SyncSummary } from '../../src/sync/index.ts'
import { tempDir } from './index.ts'

export interface TestFeed {
  name: string
  layout: Layout
  fingerprint: string
  /** the feed's own keys, for tests that decrypt and verify what it wrote */
  secretKey: SecretKey
  publicKey: PublicKey
  /** writes feed/…/<stem>.yaml; returns the stem */
  post(data: Partial<PostData> & { text?: string }, opts?: { files?: NewPost['files']; now?: Date }): Promise<string>
  /** the post file of a stem, for edits and deletes */
  postFile(stem: string): Promise<string>
  befriend(other: TestFeed, petname?: string): Promise<void>
  group(name: string, members: string[]): Promise<void>
  block(petname: string): Promise<void>
  build(): Promise<void>
  serve(limits?: Partial<Limits>): Promise<RunningServer>
  /** url may be left out for a friend in keys/ (sync then needs LAN/DHT routes) */
  follow(petname: string, url?: string): Promise<void>
  sync(opts?: SyncAllOptions): Promise<SyncSummary>
  /** stems of the YAML files under inbox/<petname> */
  inbox(petname: string): Promise<string[]>
  close(): Promise<void>
}

export async function makeFeed(name: string): Promise<TestFeed> {
  return makeFeedIn(await tempDir(`peerfeed-${name}-`), name)
}

/** The same in a given folder; an identity already there (keys/self.asc + .peerfeed/self.secret.asc) is kept. */
export async function makeFeedIn(root: string, name: string): Promise<TestFeed> {
  const l = layout(root)
  const { fingerprint } = await initFeed(l, { name: name[0].toUpperCase() + name.slice(1), email: `${name}@example.org` })
  const servers: RunningServer[] = []
  const me: TestFeed = {
    name,
    layout: l,
    fingerprint,
    secretKey: await readSecretKey(await fs.readFile(l.selfSecretKey, 'utf8')),
    publicKey: await readPublicKey(await fs.readFile(l.selfPublicKey, 'utf8')),
    async post(data, opts = {}) {
      const w = await writePost(l, { data: { type: 'status', ...data } as NewPost['data'], files: opts.files }, opts.now)
      return w.stem
    },
    async postFile(stem) {
      const files = await fs.readdir(l.feed, { recursive: true })
      const f = files.find((x) => x.endsWith(`${stem}.yaml`))
      if (!f) throw new Error(`no post ${stem} in ${l.feed}`)
      return path.join(l.feed, f)
    },
    async befriend(other, petname = other.name) {
      await addPeer(l, petname, other.layout.selfPublicKey)
    },
    async group(g, members) {
      await addToGroup(l, g, members)
    },
    async block(petname) {
      await block(l, petname)
    },
    async build() {
      const { buildFeed } = await import('../../src/build/build.ts')
      await buildFeed(l)
    },
    async serve(limits) {
      const s = await startServer({ layout: l, port: 0, limits })
      servers.push(s)
      return s
    },
    async follow(petname, url?) {
      await follow(l, petname, url)
    },
    // a generous deadline per route: a busy test machine must not look like an unreachable friend
    sync: (opts = {}) => syncAll(l, { lockWaitMs: 10_000, reachMs: 30_000, ...opts }),
    async inbox(petname) {
      const dir = path.join(l.inbox, petname)
      const files = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[])
      return files
        .filter((f) => f.endsWith('.yaml') && !path.basename(f).startsWith('.'))
        .map((f) => path.basename(f, '.yaml'))
        .sort()
    },
    async close() {
      for (const s of servers) await s.close()
      await fs.rm(l.root, { recursive: true, force: true })
    },
  }
  return me
}
