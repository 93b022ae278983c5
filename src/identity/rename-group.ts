// Renaming a group carries its posts along: groups/OLD.yaml becomes groups/NEW.yaml and every post of mine whose
// `to` names OLD names NEW instead (only that list item changes; comments and everything else stay as written).
import fs from 'node:fs/promises'
import path from 'node:path'
import YAML from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { groupFile, loadGroups } from './groups.ts'
import { assertName } from './names.ts'
import { peerFile } from './peers.ts'

/** My post files (relative paths) whose `to` names `audience`. */
export async function postsAddressedTo(l: Layout, audience: string): Promise<string[]> {
  const files = (await fs.readdir(l.feed, { recursive: true }).catch(() => [] as string[])).map(String)
  const out: string[] = []
  for (const f of files.filter((x) => x.endsWith('.yaml') && !path.basename(x).startsWith('.')).sort()) {
    const src = await fs.readFile(path.join(l.feed, f), 'utf8').catch(() => '')
    // Cheap filter first: most posts do not mention the name at all.
    if (!src.includes(audience)) continue
    const to = toItems(YAML.parseDocument(src))
    if (to.some((i) => i.value === audience)) out.push(rel(l, path.join(l.feed, f)))
  }
  return out
}

function toItems(doc: YAML.Document): YAML.Scalar[] {
  const to = YAML.isMap(doc.contents) ? doc.contents.get('to', true) : undefined
  if (YAML.isSeq(to)) return to.items.filter((i): i is YAML.Scalar => YAML.isScalar(i))
  if (YAML.isScalar(to)) return [to]
  return []
}

export interface RenamedGroup {
  name: string
  members: string[]
  /** post files whose `to` was changed, relative to the root */
  posts: string[]
  /** every path changed, relative to the root (to commit) */
  paths: string[]
}

export async function renameGroup(l: Layout, from: string, to: string): Promise<RenamedGroup> {
  assertName(from, 'group name')
  assertName(to, 'group name')
  const groups = await loadGroups(l)
  const members = groups.get(from)
  if (!members)
    throw new PeerFeedError(
      'NO_SUCH_GROUP',
      `no group called "${from}" (${rel(l, groupFile(l, from))} does not exist); see \`peerfeed group list\`.`,
    )
  if (from === to) return { name: to, members, posts: [], paths: [] }
  if (groups.has(to) || (await exists(groupFile(l, to))))
    throw new PeerFeedError('GROUP_EXISTS', `there is already a group called "${to}"; choose another name.`)
  if (await exists(peerFile(l, to))) {
    throw new PeerFeedError(
      'NAME_IS_PEER',
      `"${to}" is already a friend's petname (${rel(l, peerFile(l, to))}); friends and groups share one namespace, so choose another group name.`,
    )
  }
  const posts = await postsAddressedTo(l, from)
  // Posts first: if this stops halfway, `check` names the posts still addressed to the old name, and running
  // the rename again finishes it (the group file is still there under its old name).
  for (const p of posts) {
    const file = path.join(l.root, p)
    const doc = YAML.parseDocument(await fs.readFile(file, 'utf8'))
    for (const item of toItems(doc)) if (item.value === from) item.value = to
    await writeFileAtomic(file, doc.toString())
  }
  // The header `init`/`group add` wrote names the group; everything else in the file stays as written.
  const src = (await fs.readFile(groupFile(l, from), 'utf8')).replace(`# Group "${from}":`, `# Group "${to}":`)
  try {
    // exclusive: never replaces a file that appeared under the new name meanwhile
    await writeFileAtomic(groupFile(l, to), src, { exclusive: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new PeerFeedError('GROUP_EXISTS', `${rel(l, groupFile(l, to))} appeared meanwhile; choose another name.`)
    throw e
  }
  await fs.unlink(groupFile(l, from))
  return { name: to, members, posts, paths: [rel(l, groupFile(l, from)), rel(l, groupFile(l, to)), ...posts] }
}
