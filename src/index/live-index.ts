// Every post the owner can read (feed/ and inbox/<friend>/) in memory, kept in step with the files by a watcher.
// The app reads its timeline, threads and search from here; each file change costs one file's parse.
import fs from 'node:fs'
import path from 'node:path'
import type { Layout } from '../paths.ts'
import { checkFile } from '../posts/check-file.ts'
import { postId } from '../posts/ids.ts'
import { loadPosts } from '../posts/load-posts.ts'
import { heldAudiences, syncDir } from '../sync/sync-state.ts'
import type { Post } from '../posts/types.ts'

export interface Entry {
  post: Post
  /** 'me' or the friend's petname (the inbox folder) */
  author: string
}

export interface IndexChange {
  /** ids added or changed */
  changed: string[]
  /** ids removed */
  removed: string[]
  /** true when one of my own posts changed (the build has work to do) */
  mine?: boolean
}

export interface LiveIndexOptions {
  /** watch the folders (default true); tests and benches may load once */
  watch?: boolean
}

export class LiveIndex {
  readonly layout: Layout
  readonly byId = new Map<string, Entry>()
  /** fingerprint → 'me' or petname */
  readonly names = new Map<string, string>()
  /** petname → fingerprint */
  readonly fingerprints = new Map<string, string>()
  selfFingerprint = ''
  #byFile = new Map<string, string>()
  /** friend → stem → how their private post reached me ('you' or their group's name) */
  #reached = new Map<string, Map<string, string>>()
  #sorted: Entry[] | undefined
  #replies: Map<string, Entry[]> | undefined
  #likes: Map<string, Entry[]> | undefined
  #listeners = new Set<(c: IndexChange) => void>()
  #close: (() => Promise<void>) | undefined

  constructor(layout: Layout) {
    this.layout = layout
  }

  /** Loads everything (through the parse caches) and starts watching. */
  async open(opts: LiveIndexOptions = {}): Promise<this> {
    await this.loadNames()
    const mine = await loadPosts(this.layout, { fingerprint: this.selfFingerprint })
    for (const post of mine.posts) this.#put({ post, author: 'me' })
    for (const name of this.friends()) {
      const loaded = await loadPosts(this.layout, {
        dir: path.join(this.layout.inbox, name),
        fingerprint: this.fingerprints.get(name) ?? 'self',
        cacheFile: path.join(this.layout.state, 'cache', `inbox-${name}.cache`),
      })
      for (const post of loaded.posts) this.#put({ post, author: name })
      this.#reached.set(name, await heldAudiences(this.layout, name))
    }
    if (opts.watch !== false) await this.#watch()
    // order and threads once now, so the first page someone asks for is not the one that pays for them
    this.sorted()
    this.#relations()
    return this
  }

  /** Reads who is who: my fingerprint, friends' keys and followed feeds. */
  async loadNames(): Promise<void> {
    const { loadSelf, scanPeers } = await import('../identity/index.ts')
    const { readFollows } = await import('../sync/follows.ts')
    const self = await loadSelf(this.layout)
    this.selfFingerprint = self.fingerprint
    this.names.clear()
    this.fingerprints.clear()
    this.names.set(self.fingerprint, 'me')
    for (const p of await scanPeers(this.layout)) if (p.key) this.#name(p.name, p.key.fingerprint)
    for (const f of await readFollows(this.layout).catch(() => []))
      if (f.fingerprint && !this.fingerprints.has(f.name)) this.#name(f.name, f.fingerprint)
  }

  #name(name: string, fingerprint: string) {
    this.names.set(fingerprint, name)
    this.fingerprints.set(name, fingerprint)
  }

  /** Friends with an inbox folder, sorted. */
  friends(): string[] {
    let dirs: fs.Dirent[]
    try {
      dirs = fs.readdirSync(this.layout.inbox, { withFileTypes: true })
    } catch {
      return []
    }
    return dirs
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort()
  }

  /** How a friend's post reached me: 'you' (for me alone), their group's name, or undefined for a public post. */
  reachedMeAs(e: Entry): string | undefined {
    return e.author === 'me' ? undefined : this.#reached.get(e.author)?.get(e.post.stem)
  }

  /** Re-reads what sync recorded about a friend's posts; the ids whose audience changed. */
  async refreshReached(name: string): Promise<string[]> {
    const before = this.#reached.get(name) ?? new Map<string, string>()
    const after = await heldAudiences(this.layout, name)
    this.#reached.set(name, after)
    const fpr = this.fingerprints.get(name) ?? 'self'
    const stems = new Set([...before.keys(), ...after.keys()])
    return [...stems]
      .filter((s) => before.get(s) !== after.get(s))
      .map((s) => postId(fpr, s))
      .filter((id) => this.byId.has(id))
  }

  onChange(fn: (c: IndexChange) => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /** Newest first by published time, then id. */
  sorted(): Entry[] {
    if (!this.#sorted) {
      const keyed = [...this.byId.values()].map((e) => ({ t: Date.parse(e.post.data.published), e }))
      keyed.sort((a, b) => b.t - a.t || (a.e.post.id < b.e.post.id ? 1 : a.e.post.id > b.e.post.id ? -1 : 0))
      this.#sorted = keyed.map((k) => k.e)
    }
    return this.#sorted
  }

  /** Comments answering `id`, oldest first. */
  repliesTo(id: string): Entry[] {
    return this.#relations().replies.get(id) ?? []
  }

  /** Likes of `id`, oldest first. */
  likesOf(id: string): Entry[] {
    return this.#relations().likes.get(id) ?? []
  }

  #relations() {
    if (!this.#replies || !this.#likes) {
      const replies = new Map<string, Entry[]>()
      const likes = new Map<string, Entry[]>()
      const all = this.sorted()
      for (let i = all.length - 1; i >= 0; i--) {
        const d = all[i].post.data
        if (d.inReplyTo) push(replies, d.inReplyTo, all[i])
        if (d.object) push(likes, d.object, all[i])
      }
      this.#replies = replies
      this.#likes = likes
    }
    return { replies: this.#replies, likes: this.#likes }
  }

  #put(e: Entry) {
    const old = this.#byFile.get(e.post.file)
    if (old && old !== e.post.id) this.byId.delete(old)
    this.byId.set(e.post.id, e)
    this.#byFile.set(e.post.file, e.post.id)
    this.#dirty()
  }

  #dirty() {
    this.#sorted = undefined
    this.#replies = undefined
    this.#likes = undefined
  }

  /** The entry read from a file (relative to the root), if any. */
  entryOfFile(file: string): Entry | undefined {
    const id = this.#byFile.get(file)
    return id ? this.byId.get(id) : undefined
  }

  /** Re-reads one post file (relative to the root) after it was added, changed or removed. */
  refreshFile(file: string): IndexChange {
    const where = this.#authorOf(file)
    if (!where) return { changed: [], removed: [] }
    const abs = path.join(this.layout.root, file)
    const old = this.#byFile.get(file)
    if (!fs.existsSync(abs)) {
      if (!old) return { changed: [], removed: [] }
      this.byId.delete(old)
      this.#byFile.delete(file)
      this.#dirty()
      return { changed: [], removed: [old] }
    }
    let entry
    try {
      entry = checkFile(abs, file)
    } catch {
      return { changed: [], removed: [] } // gone again between the event and the read
    }
    if (!entry.data) return { changed: [], removed: [] } // an invalid file keeps what we had; `check` explains
    if (old && this.byId.get(old)?.post.hash === entry.hash) return { changed: [], removed: [] } // seen already
    const stem = path.basename(file, '.yaml')
    const fpr = where.author === 'me' ? this.selfFingerprint : (this.fingerprints.get(where.author) ?? 'self')
    const id = postId(fpr, stem)
    const fix = (v?: string) => (v && !v.includes('/') ? postId(fpr, v) : v)
    const data = {
      ...entry.data,
      ...(entry.data.inReplyTo ? { inReplyTo: fix(entry.data.inReplyTo) } : {}),
      ...(entry.data.object ? { object: fix(entry.data.object) } : {}),
    }
    this.#put({ author: where.author, post: { id, stem, file, hash: entry.hash, author: fpr, data } })
    return { changed: [id], removed: [] }
  }

  #authorOf(file: string): { author: string } | undefined {
    if (!file.endsWith('.yaml') || path.basename(file).startsWith('.')) return undefined
    const feed = `${path.relative(this.layout.root, this.layout.feed).split(path.sep).join('/')}/`
    const inbox = `${path.relative(this.layout.root, this.layout.inbox).split(path.sep).join('/')}/`
    if (file.startsWith(feed)) return { author: 'me' }
    if (file.startsWith(inbox)) {
      const name = file.slice(inbox.length).split('/')[0]
      if (name && !name.startsWith('.') && file.slice(inbox.length).includes('/')) return { author: name }
    }
    return undefined
  }

  async #watch() {
    const { watchTree } = await import('./watch-tree.ts')
    let pending = new Set<string>()
    let keysChanged = false
    const syncStates = new Set<string>()
    let timer: NodeJS.Timeout | undefined
    const flush = async () => {
      const files = pending
      pending = new Set()
      if (keysChanged) {
        keysChanged = false
        await this.loadNames().catch(() => {})
      }
      const change: IndexChange = { changed: [], removed: [] }
      for (const name of syncStates) change.changed.push(...(await this.refreshReached(name).catch(() => [])))
      syncStates.clear()
      for (const f of files) {
        const c = f.endsWith('.yaml') ? this.refreshFile(f) : this.refreshFolder(f)
        change.changed.push(...c.changed)
        change.removed.push(...c.removed)
        if ((c.changed.length || c.removed.length) && f.startsWith(this.#feedPrefix())) change.mine = true
      }
      if (change.changed.length || change.removed.length) for (const fn of this.#listeners) fn(change)
    }
    const w = watchTree([this.layout.feed, this.layout.inbox, this.layout.keys, syncDir(this.layout)], (p) => {
      if (p.startsWith(this.layout.keys + path.sep)) keysChanged = true
      else if (p.startsWith(syncDir(this.layout) + path.sep)) {
        if (p.endsWith('.json')) syncStates.add(path.basename(p, '.json'))
      } else pending.add(path.relative(this.layout.root, p).split(path.sep).join('/'))
      clearTimeout(timer)
      timer = setTimeout(() => void flush(), 30)
    })
    this.#close = async () => {
      clearTimeout(timer)
      w.close()
    }
  }

  #feedPrefix = () => `${path.relative(this.layout.root, this.layout.feed).split(path.sep).join('/')}/`

  /** A folder appeared, moved or went away: re-reads the post files under it, drops those gone. */
  refreshFolder(folder: string): IndexChange {
    const change: IndexChange = { changed: [], removed: [] }
    const abs = path.join(this.layout.root, folder)
    const prefix = `${folder}/`
    const present = new Set<string>()
    let isDir = false
    try {
      isDir = fs.statSync(abs).isDirectory()
    } catch {
      /* gone */
    }
    if (isDir) {
      for (const ent of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
        if (!ent.isFile() || !ent.name.endsWith('.yaml') || ent.name.startsWith('.')) continue
        const rel = path.relative(this.layout.root, path.join(ent.parentPath, ent.name)).split(path.sep).join('/')
        present.add(rel)
        if (this.#byFile.has(rel)) continue
        const c = this.refreshFile(rel)
        change.changed.push(...c.changed)
      }
    }
    for (const file of [...this.#byFile.keys()]) {
      if (file.startsWith(prefix) && !present.has(file)) {
        const c = this.refreshFile(file)
        change.removed.push(...c.removed)
      }
    }
    return change
  }

  async close(): Promise<void> {
    await this.#close?.()
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const a = m.get(k)
  if (a) a.push(v)
  else m.set(k, [v])
}
