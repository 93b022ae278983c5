// `peerfeed timeline`: my posts and my friends' in one list, newest first.
import type { Sade } from 'sade'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command('timeline', "Show your posts and your friends' (from inbox/), newest first")
    .option('--limit', 'How many posts', 30)
    .option('--from', "Only one author: 'me' or a friend's petname")
    .option('--json', 'Print a JSON array instead', false)
    .example('timeline --limit 10')
    .example('timeline --from alice --json')
    .action(
      command(async (opts: GlobalOpts) => {
        const { loadTimeline } = await import('../../timeline/load-timeline.ts')
        const { formatItem, toJson } = await import('../../timeline/format.ts')
        const limit = Number(opts.limit ?? 30)
        if (!Number.isInteger(limit) || limit < 1) {
          const { PeerFeedError } = await import('../../errors.ts')
          throw new PeerFeedError('BAD_LIMIT', `--limit must be a positive whole number, not '${String(opts.limit)}'.`)
        }
        const t = await loadTimeline(layoutOf(opts), { limit, from: opts.from as string | undefined })
        if (opts.json) {
          console.log(JSON.stringify(toJson(t.items), null, 2))
        } else if (t.items.length === 0) {
          console.log("nothing yet: write with `peerfeed post`, fetch friends' posts with `peerfeed sync`")
        } else {
          const now = Date.now()
          console.log(t.items.map((i) => formatItem(i, t.names, now, t.excerpts)).join('\n\n'))
        }
        for (const p of t.problems.slice(0, 5)) console.error(`warning: ${p.file}: ${p.message}`)
        if (t.problems.length > 5) console.error(`warning: … and ${t.problems.length - 5} more problems (peerfeed check)`)
      }),
    )
}
