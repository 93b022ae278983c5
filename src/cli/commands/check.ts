// `peerfeed check`: validates every post, key and group file; prints `path:line:col  message` for each problem.
import type { Sade } from 'sade'
import { formatProblem } from '../../errors.ts'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('check', 'Validate every post, key and group file')
    .action(command(async (opts: GlobalOpts) => {
      const { checkFeed } = await import('../../posts/check-feed.ts')
      const r = await checkFeed(layoutOf(opts))
      for (const p of r.problems) console.log(formatProblem(p, p.message))
      if (r.problems.length) {
        console.error(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${new Set(r.problems.map((p) => p.file)).size} file(s)`)
        return 1
      }
      console.log(`ok: ${r.posts.length} posts checked, no problems`)
    }))
}
