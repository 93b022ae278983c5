// peerfeed.yaml at the feed root: the owner's name, email and public URL, plus settings others add later.
import fs from 'node:fs/promises'
import YAML from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { parseYaml } from './yaml-error.ts'

export interface Config {
  name?: string
  email?: string
  /** Where the feed is served, e.g. https://alice.example.org — used for the QR code and WKD. */
  url?: string
  [key: string]: unknown
}

async function readDoc(l: Layout): Promise<YAML.Document | undefined> {
  let src: string
  try {
    src = await fs.readFile(l.config, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  const { doc, error } = parseYaml(src)
  if (error)
    throw new PeerFeedError('BAD_CONFIG', `${error.message}; fix the file by hand`, {
      file: rel(l, l.config),
      line: error.line,
      col: error.col,
    })
  if (doc.contents !== null && !YAML.isMap(doc.contents)) {
    throw new PeerFeedError('BAD_CONFIG', 'peerfeed.yaml must be a mapping of settings (key: value)', { file: rel(l, l.config) })
  }
  return doc
}

/** The settings, or {} when peerfeed.yaml does not exist yet. */
export async function loadConfig(l: Layout): Promise<Config> {
  const doc = await readDoc(l)
  return (doc?.toJS() as Config | null) ?? {}
}

/** Sets the keys in `patch` (undefined deletes), keeping every other key and all comments. */
export async function saveConfig(l: Layout, patch: Partial<Config>): Promise<Config> {
  const doc = (await readDoc(l)) ?? new YAML.Document({})
  if (doc.contents === null) doc.contents = doc.createNode({}) as never
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) doc.delete(k)
    else doc.set(k, v)
  }
  await writeFileAtomic(l.config, doc.toString())
  return (doc.toJS() as Config | null) ?? {}
}
