// `peerfeed group add|remove|list`: groups of friends (groups/GROUP.yaml), usable in a post's `to`.
import type { Sade } from 'sade'
import { command, layoutOf, record, type GlobalOpts } from '../run.ts'

/** sade gives the first NAME as an argument and the rest in opts._ */
const names = (first: unknown, opts: GlobalOpts) =>
  [first, ...((opts._ as unknown[] | undefined) ?? [])].filter((x) => x !== undefined && x !== '').map(String)

export function register(prog: Sade) {
  prog
    .command('group add <group> <name>', 'Add friends (by petname) to a group; creates the group. More names may follow')
    .example('group add family alice bob')
    .action(
      command(async (group: string, first: string, opts: GlobalOpts) => {
        const { addToGroup } = await import('../../identity/index.ts')
        const l = layoutOf(opts)
        const added = names(first, opts)
        const g = await addToGroup(l, String(group), added)
        console.log(`${g.name}: ${g.members.join(', ')}`)
        await record(l, [`groups/${g.name}.yaml`], `group: add ${added.join(', ')} to ${g.name}`)
      }),
    )

  prog
    .command('group remove <group> [name]', 'Remove friends from a group; with no names, delete the group')
    .example('group remove family bob')
    .example('group remove family')
    .action(
      command(async (group: string, first: string | undefined, opts: GlobalOpts) => {
        const { removeFromGroup, deleteGroup } = await import('../../identity/index.ts')
        const l = layoutOf(opts)
        const list = names(first, opts)
        if (list.length === 0) {
          await deleteGroup(l, String(group))
          console.log(`deleted group "${group}"`)
          await record(l, [`groups/${group}.yaml`], `group: delete ${group}`)
          return
        }
        const g = await removeFromGroup(l, String(group), list)
        console.log(`${g.name}: ${g.members.join(', ') || '(no members)'}`)
        await record(l, [`groups/${g.name}.yaml`], `group: remove ${list.join(', ')} from ${g.name}`)
      }),
    )

  prog.command('group list', 'List groups and their members').action(
    command(async (opts: GlobalOpts) => {
      const { listGroups } = await import('../../identity/index.ts')
      const groups = await listGroups(layoutOf(opts))
      if (groups.length === 0) console.log('no groups yet; create one with `peerfeed group add GROUP NAME…`')
      for (const g of groups) console.log(`${g.name}: ${g.members.join(', ') || '(no members)'}`)
    }),
  )
}
