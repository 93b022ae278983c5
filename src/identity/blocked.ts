// The local block list (.peerfeed/blocked.yaml, never published): blocked keys are in no audience and get no answers.
import fs from 'node:fs/promises'
import YAML from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { parseYaml } from './yaml-error.ts'
import { normalizeFingerprint } from './names.ts'
import { readKeyFile } from './self.ts'
import { peerFile } from './peers.ts'

export interface BlockEntry {
  fingerprint: string
  /** The petname at the time of blocking, for the reader of the file. */
  name?: string
}

const HEADER = ' Blocked keys: never part of any audience, refused by the server. Local only, never published.'

async function readDoc(l: Layout): Promise<YAML.Document | undefined> {
  let src: string
  try {
    src = await fs.readFile(l.blocked, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  const { doc, error } = parseYaml(src)
  if (error)
    throw new PeerFeedError('BAD_BLOCK_LIST', `${error.message}; fix the file by hand`, {
      file: rel(l, l.blocked),
      line: error.line,
      col: error.col,
    })
  return doc
}

function entriesOf(l: Layout, doc: YAML.Document | undefined): BlockEntry[] {
  const js = doc?.toJS() as { blocked?: unknown } | null | undefined
  const list = js?.blocked ?? []
  if (!Array.isArray(list))
    throw new PeerFeedError('BAD_BLOCK_LIST', '`blocked` must be a list of `{fingerprint, name}` entries', { file: rel(l, l.blocked) })
  return list.map((e: unknown) => {
    const raw = typeof e === 'string' ? e : (e as BlockEntry | null)?.fingerprint
    const fingerprint = typeof raw === 'string' ? normalizeFingerprint(raw) : undefined
    if (!fingerprint)
      throw new PeerFeedError('BAD_BLOCK_LIST', `not a 40-hex-digit fingerprint: ${JSON.stringify(raw ?? e)}`, { file: rel(l, l.blocked) })
    const name = typeof e === 'object' && e && typeof (e as BlockEntry).name === 'string' ? (e as BlockEntry).name : undefined
    return { fingerprint, name }
  })
}

export async function listBlocked(l: Layout): Promise<BlockEntry[]> {
  return entriesOf(l, await readDoc(l))
}

/** Fingerprints on the block list. */
export async function loadBlocked(l: Layout): Promise<Set<string>> {
  return new Set((await listBlocked(l)).map((e) => e.fingerprint))
}

/** NAME (a petname) or a fingerprint → fingerprint and petname. */
async function resolveWho(l: Layout, who: string): Promise<BlockEntry> {
  if (/^[a-z0-9][a-z0-9_-]*$/.test(who) && (await exists(peerFile(l, who)))) {
    return { fingerprint: (await readKeyFile(l, peerFile(l, who))).fingerprint, name: who }
  }
  const fingerprint = normalizeFingerprint(who)
  if (!fingerprint) {
    throw new PeerFeedError(
      'UNKNOWN_PEER',
      `"${who}" is neither a friend's petname nor a 40-hex-digit fingerprint; see \`peerfeed peer list\`.`,
    )
  }
  return { fingerprint }
}

/** Adds a key to the block list. Idempotent: returns false when it was already blocked. */
export async function block(l: Layout, who: string): Promise<{ fingerprint: string; name?: string; changed: boolean }> {
  const entry = await resolveWho(l, who)
  const self = await readKeyFile(l, l.selfPublicKey).catch(() => undefined)
  if (self?.fingerprint === entry.fingerprint) throw new PeerFeedError('OWN_KEY', 'you cannot block your own key.')
  const doc = (await readDoc(l)) ?? new YAML.Document({})
  const entries = entriesOf(l, doc)
  if (entries.some((e) => e.fingerprint === entry.fingerprint)) return { ...entry, changed: false }
  if (!doc.commentBefore) doc.commentBefore = HEADER
  if (doc.contents === null) doc.contents = doc.createNode({}) as never
  let seq = doc.get('blocked', true)
  if (!YAML.isSeq(seq)) {
    seq = doc.createNode([]) as YAML.YAMLSeq
    doc.set('blocked', seq)
  }
  ;(seq as YAML.YAMLSeq).add(
    doc.createNode(entry.name ? { fingerprint: entry.fingerprint, name: entry.name } : { fingerprint: entry.fingerprint }),
  )
  await writeFileAtomic(l.blocked, doc.toString())
  return { ...entry, changed: true }
}

/** Removes a key from the block list. Idempotent: returns false when it was not blocked. */
export async function unblock(l: Layout, who: string): Promise<{ fingerprint: string; name?: string; changed: boolean }> {
  const doc = await readDoc(l)
  const entries = entriesOf(l, doc)
  // A name may only live in the block list (its key file removed since): look there too.
  const byName = entries.find((e) => e.name === who)
  const entry = byName ?? (await resolveWho(l, who))
  const seq = doc?.get('blocked', true)
  if (!doc || !YAML.isSeq(seq) || !entries.some((e) => e.fingerprint === entry.fingerprint)) return { ...entry, changed: false }
  seq.items = seq.items.filter((_, i) => entries[i].fingerprint !== entry.fingerprint)
  await writeFileAtomic(l.blocked, doc.toString())
  return { ...entry, changed: true }
}
