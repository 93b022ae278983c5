// `peerfeed build [--out DIR] [--watch]`: the feed → a folder any static host can serve.
import type { Sade } from 'sade'
import { formatProblem, isPeerFeedError } from '../../errors.ts'
import { command, layoutOf, type GlobalOpts } from '../run.ts'
import type { BuildResult } from '../../build/build.ts'

export function register(prog: Sade) {
  prog
    .command('build', 'Build dist/: the public site and feeds, and encrypted pages for friends and groups')
    .option('--out', 'Output folder (default: dist)')
    .option('--watch', 'Rebuild whenever feed/, keys/, groups/ or templates/ change')
    .option('--full', 'Re-render and re-encrypt everything')
    .option('--passphrase-file', 'File holding the passphrase of your secret key (or set PEERFEED_PASSPHRASE)')
    .action(
      command(async (opts: GlobalOpts) => {
        const layout = layoutOf(opts)
        const onLockWait = (pid: number) =>
          console.error(`peerfeed: another build (pid ${pid}) is running in this feed; waiting for it to finish…`)
        // nothing changed since the live tree was built: known from the files' stats alone, before keys or posts load
        const t0 = performance.now()
        const { quickBuild } = await import('../../build/quick-build.ts')
        const quick = await quickBuild(layout, { full: opts.full === true, onLockWait })
        if (quick && !opts.watch) return report(quick)
        const t1 = performance.now()
        // `git status` of every tracked file (for assertMerged) runs in its own process while the build's modules load
        const history = quick ? undefined : (await import('../../git.ts')).historyState(layout.root)
        history?.catch(() => {})
        const { buildFeed } = await import('../../build/build.ts')
        const { passphraseFrom } = await import('../../identity/index.ts')
        const passphrase = await passphraseFrom(opts)
        // before the build's own steps: the process's start and the quick check that found a build to do
        before = { start: Math.round(t0), quick: Math.round(t1 - t0), load: Math.round(performance.now() - t1) }
        const log = process.stderr.isTTY ? (l: string) => process.stderr.write(`  ${l}\n`) : undefined
        const options = { passphrase, full: opts.full === true, log, onLockWait }
        report(quick ?? (await buildFeed(layout, { ...options, quickChecked: true, history })))
        if (!opts.watch) return
        const { watchBuild } = await import('../../build/watch.ts')
        const w = watchBuild(layout, {
          ...options,
          full: false,
          onBuild: report,
          onError: (e) => console.error(`peerfeed: ${isPeerFeedError(e) ? e.toString() : (e as Error).message}`),
        })
        await w.ready
        console.log('watching feed/, keys/, groups/ and templates/ — Ctrl-C to stop')
        await new Promise<void>((res) => process.once('SIGINT', () => res()))
        await w.close()
      }),
    )
}

let before: Record<string, number> = {}

function report(r: BuildResult) {
  const s = r.stats
  // PEERFEED_BUILD_TIMINGS=1: where an in-process build's time went, step by step (for benchmarks and profiling)
  if (process.env.PEERFEED_BUILD_TIMINGS && r.timings)
    console.error(
      `timings: ${Object.entries({ ...before, ...r.timings })
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')}`,
    )
  for (const w of r.warnings ?? []) console.error(`warning: ${formatProblem(w, w.message)}`)
  if (!r.changed) {
    console.log(`nothing changed (${s.posts} posts), ${r.dist} left as it was [${s.ms.toFixed(0)} ms]`)
    return
  }
  console.log(
    `built ${r.dist}: ${s.posts} posts (${s.publicPosts} public, ${s.privatePosts} private), ` +
      `${s.newVersions} new or edited, ${s.tombstones} deleted; site ${s.siteRendered} written, ${s.siteSkipped} kept; ` +
      `${s.pagesEncrypted} pages encrypted, ${s.pagesReused} kept; ${s.publicPagesSigned} public pages signed [${s.ms.toFixed(0)} ms]`,
  )
}
