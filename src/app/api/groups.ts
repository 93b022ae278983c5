// Groups: create with members, rename (my posts addressed to it follow), add and remove members, delete. Each change
// is committed; the next build re-keys the group's pages for its new members, as with `peerfeed group`.
import { HttpError, readJson } from '../http.ts'
import { record } from '../record.ts'
import type { Request, Router } from '../router.ts'

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [])

async function list(q: Request) {
  const { listGroups } = await import('../../identity/index.ts')
  return { groups: await listGroups(q.app.layout) }
}

export function routes(r: Router) {
  r.get('/api/groups', list)

  r.post('/api/groups', async (q) => {
    const body = await readJson(q.req)
    const name = String(body.name ?? '').trim()
    const members = names(body.members)
    const { addToGroup, groupFile, nameProblem } = await import('../../identity/index.ts')
    const why = nameProblem(name, 'group name')
    if (why) throw new HttpError(400, 'BAD_GROUP_NAME', why, { name: why })
    const { exists } = await import('../../fs-atomic.ts')
    if (await exists(groupFile(q.app.layout, name)))
      throw new HttpError(409, 'GROUP_EXISTS', `there is already a group called "${name}"`, { name: 'already a group' })
    if (!members.length)
      throw new HttpError(400, 'NO_NAMES', 'choose at least one friend for the group', { members: 'choose at least one friend' })
    const g = await addToGroup(q.app.layout, name, members)
    await record(q.app.layout, [`groups/${g.name}.yaml`], `group: add ${members.join(', ')} to ${g.name}`)
    return { group: g, ...(await list(q)) }
  })

  r.put('/api/groups/:name', async (q) => {
    const body = await readJson(q.req)
    const id = await import('../../identity/index.ts')
    let name = q.params.name
    const add = names(body.add)
    const remove = names(body.remove)
    const rename = typeof body.rename === 'string' ? body.rename.trim() : ''
    if (rename && rename !== name) {
      const why = id.nameProblem(rename, 'group name')
      if (why) throw new HttpError(400, 'BAD_GROUP_NAME', why, { rename: why })
      const r = await id.renameGroup(q.app.layout, name, rename)
      await record(
        q.app.layout,
        r.paths,
        `group: rename ${name} to ${rename}${r.posts.length ? ` (${r.posts.length} post(s) addressed to it)` : ''}`,
      )
      name = rename
    }
    if (add.length) {
      await id.addToGroup(q.app.layout, name, add)
      await record(q.app.layout, [`groups/${name}.yaml`], `group: add ${add.join(', ')} to ${name}`)
    }
    if (remove.length) {
      await id.removeFromGroup(q.app.layout, name, remove)
      await record(q.app.layout, [`groups/${name}.yaml`], `group: remove ${remove.join(', ')} from ${name}`)
    }
    return list(q)
  })

  r.delete('/api/groups/:name', async (q) => {
    const id = await import('../../identity/index.ts')
    const name = q.params.name
    // posts still addressed to the group would no longer build: say which, change nothing
    const used = await id.postsAddressedTo(q.app.layout, name)
    if (used.length) {
      throw new HttpError(
        409,
        'GROUP_IN_USE',
        `${used.length} of your posts ${used.length > 1 ? 'are' : 'is'} addressed to "${name}" (${used.slice(0, 3).join(', ')}${used.length > 3 ? ', …' : ''}); rename the group instead, or change those posts' audience first.`,
      )
    }
    await id.deleteGroup(q.app.layout, name)
    await record(q.app.layout, [`groups/${name}.yaml`], `group: delete ${name}`)
    return list(q)
  })
}
