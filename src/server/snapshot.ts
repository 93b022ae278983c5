// What the server knows about the current build: the manifest, the public index, audiences by member, page texts.
// Reloaded when the live tree's manifest changes (one readlink and one stat per API request, no watcher to leak).
import fs from 'node:fs'
import path from 'node:path'
import { PeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import type { AudienceManifest, BuildManifest } from '../protocol/build-manifest.ts'
import { liveBuild } from '../build/state.ts'
import type { Entry } from '../protocol/wire.ts'
import { buildPublicIndex, type PublicIndex } from './public-index.ts'

export interface Snapshot {
  manifest: BuildManifest
  /** the dist generation this snapshot reads from (dist/ is a symlink swapped by each build) */
  distDir: string
  publicIndex: PublicIndex
  /** fingerprint → the audiences it belongs to */
  audiencesOf: ReadonlyMap<string, AudienceManifest[]>
  /** A page's armored text as a JSON string literal, read once and kept. */
  pageJson(name: string): Promise<string>
}

export interface SnapshotSource {
  /** The current snapshot; synchronous when nothing changed since the last call. */
  get(): Snapshot | Promise<Snapshot>
}

const PAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/

function statKey(file: string): string | undefined {
  const st = fs.statSync(file, { throwIfNoEntry: false })
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : undefined
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T
}

export async function loadSnapshot(layout: Layout): Promise<Snapshot> {
  // the tree first, then its manifest: both from the same build even if a build swaps dist/ meanwhile
  const live = liveBuild(layout)
  const manifestFile = live.manifest
  let manifest: BuildManifest
  try {
    manifest = await readJson<BuildManifest>(manifestFile)
  } catch (cause) {
    throw new PeerFeedError(
      'NOT_BUILT',
      `this feed has not been built yet (its build manifest is missing or unreadable); the owner should run \`peerfeed build\`.`,
      { cause },
    )
  }
  const distDir = await fs.promises.realpath(live.distDir)
  const pub = path.join(distDir, 'api', 'public')
  const publicPages = await Promise.all(
    manifest.public.pages.map(async (p) => {
      if (!PAGE_NAME.test(p.name))
        throw new PeerFeedError('BAD_BUILD', `the build manifest names a public page '${p.name}' that is not a plain file name.`)
      const [page, text, signature] = await Promise.all([
        readJson<{ entries: Entry[] }>(path.join(pub, `${p.name}.json`)),
        fs.promises.readFile(path.join(pub, `${p.name}.manifest.json`), 'utf8'),
        fs.promises.readFile(path.join(pub, `${p.name}.manifest.json.asc`), 'utf8'),
      ])
      return { name: p.name, entries: page.entries, manifest: text, signature }
    }),
  )
  const audiencesOf = new Map<string, AudienceManifest[]>()
  for (const a of manifest.audiences) {
    for (const fp of a.members) {
      const list = audiencesOf.get(fp) ?? []
      list.push(a)
      audiencesOf.set(fp, list)
    }
  }
  const pages = new Map<string, Promise<string>>()
  return {
    manifest,
    distDir,
    publicIndex: buildPublicIndex(publicPages),
    audiencesOf,
    pageJson(name) {
      if (!PAGE_NAME.test(name)) return Promise.reject(new PeerFeedError('BAD_BUILD', `bad page name '${name}' in the build manifest.`))
      let p = pages.get(name)
      if (!p) {
        p = fs.promises.readFile(path.join(distDir, 'p', `${name}.asc`), 'utf8').then(
          (t) => JSON.stringify(t),
          (cause) => {
            // A build replaced this generation meanwhile; the next request loads the new manifest.
            throw new PeerFeedError('NOT_BUILT', `page ${name} of the build is missing (a rebuild is in progress?); try again.`, { cause })
          },
        )
        p.catch(() => pages.delete(name))
        pages.set(name, p)
      }
      return p
    },
  }
}

/** Keeps one snapshot and reloads it when the manifest file changes; a failed reload is retried on the next request. */
export function snapshotSource(layout: Layout, log: (m: string) => void = () => {}): SnapshotSource {
  let key: string | undefined
  let current: Snapshot | undefined
  let loading: { key: string | undefined; promise: Promise<Snapshot> } | undefined
  return {
    get() {
      const k = statKey(liveBuild(layout).manifest)
      if (current && k === key) return current
      if (loading && loading.key === k) return loading.promise
      const promise = loadSnapshot(layout).then(
        (s) => {
          if (loading?.promise === promise) loading = undefined
          key = k
          current = s
          log(`loaded build of ${s.manifest.builtAt}: ${s.publicIndex.size} public entries, ${s.manifest.audiences.length} audiences`)
          return s
        },
        (e) => {
          if (loading?.promise === promise) loading = undefined
          throw e
        },
      )
      loading = { key: k, promise }
      return promise
    },
  }
}
