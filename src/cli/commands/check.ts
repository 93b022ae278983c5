// `peerfeed check`: validates every post, key and group file; prints `path:line:col  message` for each problem.
import type { Sade } from 'sade'
import { formatProblem } from '../../errors.ts'
import { command, layoutOf, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog.command('check', 'Validate every post, key and group file').action(
    command(async (opts: GlobalOpts) => {
      const { checkFeed } = await import('../../posts/check-feed.ts')
      const r = await checkFeed(layoutOf(opts))
      for (const p of r.problems) console.log(formatProblem(p, p.warning ? `warning: ${p.message}` : p.message))
      const errors = r.problems.filter((p) => !p.warning)
      if (errors.length) {
        console.error(`${errors.length} problem${errors.length === 1 ? '' : 's'} in ${new Set(errors.map((p) => p.file)).size} file(s)`)
        return 1
      }
      const warnings = r.problems.length - errors.length
      console.log(
        `ok: ${r.posts.length} posts checked, no problems${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'} above)` : ''}`,
      )
    }),
  )
}
