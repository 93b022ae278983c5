// Groups of friends: groups/<name>.yaml holding `members: [petname, …]`, hand-editable, comments kept on edit.
import fs from 'node:fs/promises'
import path from 'node:path'
import YAML from 'yaml'
import { PeerFeedError } from '../errors.ts'
import { exists, writeFileAtomic } from '../fs-atomic.ts'
import { rel, type Layout } from '../paths.ts'
import { assertName, nameProblem } from './names.ts'
import { parseYaml } from './yaml-error.ts'

export interface Group {
  name: string
  members: string[]
}

/** A member as written, with its position for `check` messages. */
export interface MemberRef {
  name: string
  line?: number
  col?: number
}

export interface GroupFile {
  name: string
  file: string
  members: MemberRef[]
  /** Problems that make the file unusable (syntax, shape); positions are 1-based. */
  errors: PeerFeedError[]
}

export const groupFile = (l: Layout, name: string) => path.join(l.groups, `${name}.yaml`)
const petnameFile = (l: Layout, name: string) => path.join(l.keys, `${name}.asc`)

/** Parses one group file without throwing: everything wrong with it comes back in `errors`. */
export function parseGroup(l: Layout, file: string, src: string): GroupFile {
  const name = path.basename(file, '.yaml')
  const where = rel(l, file)
  const { doc, lineCounter: lc, error } = parseYaml(src)
  const out: GroupFile = { name, file, members: [], errors: [] }
  const at = (offset: number | undefined) => (offset === undefined ? {} : lc.linePos(offset))
  if (error) {
    out.errors.push(
      new PeerFeedError('BAD_GROUP_FILE', `${error.message}; fix the YAML (a group file looks like \`members: [alice, bob]\`)`, {
        file: where,
        line: error.line,
        col: error.col,
      }),
    )
    return out
  }
  const why = nameProblem(name, 'group name')
  if (why) out.errors.push(new PeerFeedError('BAD_GROUP_NAME', `${why}; rename the file`, { file: where }))
  const root = doc.contents
  if (root === null) return out // an empty file is an empty group
  if (!YAML.isMap(root)) {
    out.errors.push(
      new PeerFeedError('BAD_GROUP_FILE', 'a group file must be a mapping like `members: [alice, bob]`', {
        file: where,
        ...at(root.range?.[0]),
      }),
    )
    return out
  }
  const members = root.get('members', true)
  if (members === undefined || members === null || (YAML.isScalar(members) && members.value === null)) return out
  if (!YAML.isSeq(members)) {
    out.errors.push(
      new PeerFeedError('BAD_GROUP_FILE', '`members` must be a list of petnames, e.g. `members: [alice, bob]`', {
        file: where,
        ...at((members as YAML.Node).range?.[0]),
      }),
    )
    return out
  }
  for (const item of members.items) {
    const pos = at((item as YAML.Node | null)?.range?.[0])
    if (YAML.isScalar(item) && typeof item.value === 'string') out.members.push({ name: item.value, ...pos })
    else
      out.errors.push(
        new PeerFeedError('BAD_GROUP_FILE', 'each member must be a petname (a plain word such as alice)', { file: where, ...pos }),
      )
  }
  return out
}

/** Every groups/*.yaml, sorted by name, parsed without throwing. */
export async function scanGroups(l: Layout): Promise<GroupFile[]> {
  let entries: string[]
  try {
    entries = await fs.readdir(l.groups)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const files = entries.filter((f) => f.endsWith('.yaml') && !f.startsWith('.')).sort()
  return Promise.all(
    files.map(async (f) => {
      const file = path.join(l.groups, f)
      return parseGroup(l, file, await fs.readFile(file, 'utf8'))
    }),
  )
}

/** Group name → member petnames. A broken group file is an error naming file:line:col (run `peerfeed check`). */
export async function loadGroups(l: Layout): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (const g of await scanGroups(l)) {
    if (g.errors.length) throw g.errors[0]
    out.set(g.name, [...new Set(g.members.map((m) => m.name))])
  }
  return out
}

export async function listGroups(l: Layout): Promise<Group[]> {
  return [...(await loadGroups(l))].map(([name, members]) => ({ name, members }))
}

async function readDoc(l: Layout, group: string): Promise<YAML.Document | undefined> {
  const file = groupFile(l, group)
  let src: string
  try {
    src = await fs.readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  const parsed = parseGroup(l, file, src)
  if (parsed.errors.length) throw parsed.errors[0]
  return YAML.parseDocument(src)
}

function membersSeq(doc: YAML.Document): YAML.YAMLSeq {
  if (doc.contents === null) doc.contents = doc.createNode({}) as never
  let seq = doc.get('members', true)
  if (!YAML.isSeq(seq)) {
    seq = doc.createNode([]) as YAML.YAMLSeq
    doc.set('members', seq)
  }
  return seq as YAML.YAMLSeq
}

const memberNames = (seq: YAML.YAMLSeq) => seq.items.map((i) => (YAML.isScalar(i) ? String(i.value) : ''))

/** Adds friends to a group, creating groups/GROUP.yaml when needed. Unknown petnames are refused. */
export async function addToGroup(l: Layout, group: string, names: readonly string[]): Promise<Group> {
  assertName(group, 'group name')
  if (names.length === 0) throw new PeerFeedError('NO_NAMES', `name at least one friend to add to "${group}".`)
  if (await exists(petnameFile(l, group))) {
    throw new PeerFeedError(
      'NAME_IS_PEER',
      `"${group}" is already a friend's petname (${rel(l, petnameFile(l, group))}); friends and groups share one namespace, so choose another group name.`,
    )
  }
  const missing: string[] = []
  for (const n of names) {
    if (nameProblem(n) || !(await exists(petnameFile(l, n)))) missing.push(n)
  }
  if (missing.length) {
    const groupsAmong = (await Promise.all(missing.map((n) => exists(groupFile(l, n))))).some(Boolean)
    throw new PeerFeedError(
      'UNKNOWN_PEER',
      `unknown friend${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}. Add ${missing.length > 1 ? 'them' : 'it'} first with \`peerfeed peer add NAME KEY\`${groupsAmong ? ' (groups hold friends, not other groups)' : ''}.`,
    )
  }
  const doc = (await readDoc(l, group)) ?? new YAML.Document({}, {})
  const isNew = !(await exists(groupFile(l, group)))
  if (isNew) doc.commentBefore = ` Group "${group}": friends by petname (their keys are keys/<petname>.asc).`
  const seq = membersSeq(doc)
  const have = new Set(memberNames(seq))
  for (const n of names) {
    if (!have.has(n)) {
      seq.add(doc.createNode(n))
      have.add(n)
    }
  }
  await writeFileAtomic(groupFile(l, group), doc.toString())
  return { name: group, members: memberNames(seq) }
}

/** Removes friends from a group; every name must be a member (nothing changes otherwise). */
export async function removeFromGroup(l: Layout, group: string, names: readonly string[]): Promise<Group> {
  assertName(group, 'group name')
  const doc = await readDoc(l, group)
  if (!doc)
    throw new PeerFeedError(
      'NO_SUCH_GROUP',
      `no group called "${group}" (${rel(l, groupFile(l, group))} does not exist); see \`peerfeed group list\`.`,
    )
  const seq = membersSeq(doc)
  const have = new Set(memberNames(seq))
  const notMembers = names.filter((n) => !have.has(n))
  if (notMembers.length) {
    throw new PeerFeedError(
      'NOT_A_MEMBER',
      `${notMembers.join(', ')} ${notMembers.length > 1 ? 'are' : 'is'} not in group "${group}"; nothing changed.`,
    )
  }
  const drop = new Set(names)
  seq.items = seq.items.filter((i) => !(YAML.isScalar(i) && drop.has(String(i.value))))
  await writeFileAtomic(groupFile(l, group), doc.toString())
  return { name: group, members: memberNames(seq) }
}

/** Deletes groups/GROUP.yaml. */
export async function deleteGroup(l: Layout, group: string): Promise<void> {
  assertName(group, 'group name')
  if (!(await exists(groupFile(l, group)))) {
    throw new PeerFeedError(
      'NO_SUCH_GROUP',
      `no group called "${group}" (${rel(l, groupFile(l, group))} does not exist); see \`peerfeed group list\`.`,
    )
  }
  await fs.rm(groupFile(l, group))
}

/** Takes a petname out of every group that lists it; returns those groups. Broken group files are left alone. */
export async function removeFromAllGroups(l: Layout, name: string): Promise<string[]> {
  const touched: string[] = []
  for (const g of await scanGroups(l)) {
    if (g.errors.length || !g.members.some((m) => m.name === name)) continue
    await removeFromGroup(l, g.name, [name])
    touched.push(g.name)
  }
  return touched
}
