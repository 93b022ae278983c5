// Friends' public keys: keys/<petname>.asc. The petname is the file name; keys/self.asc is the owner.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { PublicKey } from '../crypto/index.ts'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { formatFingerprint, assertName, nameProblem } from './names.ts'
import type { Fetch } from './key-source.ts'
import { previewPeerKey, type KeyInput } from './new-peer-key.ts'
import { readKeyFile } from './self.ts'
import { loadBlocked } from './blocked.ts'
import { groupFile, removeFromAllGroups } from './groups.ts'

export interface Peer {
  name: string
  fingerprint: string
  file: string
  key: PublicKey
}

/** One keys/*.asc file as found: its key, or why it is unusable (check reports these). */
export interface PeerFile {
  name: string
  file: string
  key?: PublicKey
  error?: PeerFeedError
}

export const peerFile = (l: Layout, name: string) => path.join(l.keys, `${name}.asc`)

/** Every keys/<name>.asc except self.asc, sorted by name, unreadable ones with their error. */
export async function scanPeers(l: Layout, date = new Date()): Promise<PeerFile[]> {
  let entries: string[]
  try {
    entries = await fs.readdir(l.keys)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const names = entries.filter((f) => f.endsWith('.asc') && !f.startsWith('.') && f !== path.basename(l.selfPublicKey)).sort()
  return Promise.all(
    names.map(async (f): Promise<PeerFile> => {
      const name = f.slice(0, -'.asc'.length)
      const file = path.join(l.keys, f)
      const why = nameProblem(name)
      if (why) return { name, file, error: new PeerFeedError('BAD_PETNAME', `${why}; rename the file`, { file: rel(l, file) }) }
      try {
        return { name, file, key: await readKeyFile(l, file, date) }
      } catch (e) {
        if (e instanceof PeerFeedError) return { name, file, error: e }
        throw e
      }
    }),
  )
}

/** Friends with a readable key. An unreadable key file is an error naming the file (run `peerfeed check`). */
export async function listPeers(l: Layout, date = new Date()): Promise<Peer[]> {
  const files = await scanPeers(l, date)
  const bad = files.find((p) => p.error)
  if (bad?.error) throw bad.error
  return files.map((p) => ({ name: p.name, file: p.file, key: p.key!, fingerprint: p.key!.fingerprint }))
}

export interface AddedPeer extends Peer {
  /** Where the key was actually read from (a URL may have become <base>/key.asc). */
  origin: string
  /** The key is on the block list: stored, but it will receive nothing until unblocked. */
  blocked: boolean
}

/**
 * Stores a friend's key as keys/NAME.asc after checking it is a usable public key that we do not know yet.
 * Returns the fingerprint so the user can compare it with the one their friend reads out.
 */
export async function addPeer(
  l: Layout,
  name: string,
  source: KeyInput,
  { fetch, cwd, date = new Date() }: { fetch?: Fetch; cwd?: string; date?: Date } = {},
): Promise<AddedPeer> {
  assertName(name)
  const file = peerFile(l, name)
  if (await exists(file)) {
    const old = await readKeyFile(l, file).then(
      (k) => ` (${formatFingerprint(k.fingerprint)})`,
      () => '',
    )
    throw new PeerFeedError(
      'PETNAME_TAKEN',
      `you already have a friend called "${name}"${old} in ${rel(l, file)}; choose another name, or \`peerfeed peer remove ${name}\` first to replace the key.`,
    )
  }
  if (await exists(groupFile(l, name))) {
    throw new PeerFeedError(
      'NAME_IS_GROUP',
      `"${name}" is already a group (${rel(l, groupFile(l, name))}); friends and groups share one namespace, so choose another name.`,
    )
  }
  // the same reading and refusals as the app's preview: not mine, not revoked or expired, can encrypt, not known
  const { key, origin } = await previewPeerKey(l, source, { fetch, cwd, date })
  try {
    await writeFileAtomic(file, key.armored, { exclusive: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new PeerFeedError('PETNAME_TAKEN', `${rel(l, file)} appeared meanwhile; run the command again.`)
    throw e
  }
  const blocked = (await loadBlocked(l)).has(key.fingerprint)
  return { name, file, key, fingerprint: key.fingerprint, origin, blocked }
}

/** Deletes keys/NAME.asc and takes NAME out of every group; returns the groups it was removed from. */
export async function removePeer(l: Layout, name: string): Promise<{ fingerprint?: string; groups: string[] }> {
  assertName(name)
  const file = peerFile(l, name)
  if (!(await exists(file))) {
    throw new PeerFeedError('NO_SUCH_PEER', `no friend called "${name}" (${rel(l, file)} does not exist); see \`peerfeed peer list\`.`)
  }
  const fingerprint = await readKeyFile(l, file).then(
    (k) => k.fingerprint,
    () => undefined,
  )
  const groups = await removeFromAllGroups(l, name)
  await fs.rm(file)
  return { fingerprint, groups }
}
