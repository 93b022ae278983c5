// `peerfeed group add|remove|list`: groups of friends (groups/GROUP.yaml), usable in a post's `to`.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

/** sade gives the first NAME as an argument and the rest in opts._ */
const names = (first: unknown, opts: GlobalOpts) =>
  [first, ...((opts._ as unknown[] | undefined) ?? [])].filter((x) => x !== undefined && x !== '').map(String)

export function register(prog: Sade) {
  prog.command('group add <group> <name>', 'Add friends (by petname) to a group; creates the group. More names may follow')
    .example('group add family alice bob')
    .action(command(async (group: string, first: string, opts: GlobalOpts) => {
      const { addToGroup } = await import('../../identity/index.ts')
      const g = await addToGroup(layoutOf(opts), String(group), names(first, opts))
      console.log(`${g.name}: ${g.members.join(', ')}`)
    }))

  prog.command('group remove <group> [name]', 'Remove friends from a group; with no names, delete the group')
    .example('group remove family bob')
    .example('group remove family')
    .action(command(async (group: string, first: string | undefined, opts: GlobalOpts) => {
      const { removeFromGroup, deleteGroup } = await import('../../identity/index.ts')
      const l = layoutOf(opts)
      const list = names(first, opts)
      if (list.length === 0) {
        await deleteGroup(l, String(group))
        console.log(`deleted group "${group}"`)
        return
      }
      const g = await removeFromGroup(l, String(group), list)
      console.log(`${g.name}: ${g.members.join(', ') || '(no members)'}`)
    }))

  prog.command('group list', 'List groups and their members')
    .action(command(async (opts: GlobalOpts) => {
      const { listGroups } = await import('../../identity/index.ts')
      const groups = await listGroups(layoutOf(opts))
      if (groups.length === 0) console.log('no groups yet; create one with `peerfeed group add GROUP NAME…`')
      for (const g of groups) console.log(`${g.name}: ${g.members.join(', ') || '(no members)'}`)
    }))
}
