// `build --watch`: rebuilds (incrementally) soon after anything in feed/, keys/, groups/ or templates/ changes.
import { watch } from 'chokidar'
import type { Layout } from '../paths.ts'
import { buildFeed, type BuildOptions, type BuildResult } from './build.ts'

export interface Watcher {
  /** resolves once the watcher is ready */
  ready: Promise<void>
  close(): Promise<void>
}

export function watchBuild(
  layout: Layout,
  opts: BuildOptions & { onBuild?: (r: BuildResult) => void; onError?: (e: unknown) => void; debounceMs?: number } = {},
): Watcher {
  const w = watch([layout.feed, layout.keys, layout.groups, layout.templates, layout.config], {
    ignoreInitial: true,
    ignored: (p: string) => /(^|[/\\])\.[^/\\]*\.tmp$/.test(p),
  })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  const run = async () => {
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        try {
          opts.onBuild?.(await buildFeed(layout, opts))
        } catch (e) {
          opts.onError?.(e)
        }
      } while (again)
    })()
    await running
    running = undefined
  }
  w.on('all', () => {
    clearTimeout(timer)
    timer = setTimeout(run, opts.debounceMs ?? 50)
  })
  const ready = new Promise<void>((res) => w.on('ready', () => res()))
  return {
    ready,
    async close() {
      clearTimeout(timer)
      await w.close()
      await running
    },
  }
}
