// Rebuilds dist/ after the owner's posts, friends, groups, templates or settings change: one build at a time, and
// changes that arrive during a build are folded into one more. Driven by the live index's news about my posts,
// plus a watch on the few small folders that are not posts.
import fs from 'node:fs'
import path from 'node:path'
import { buildInChild, type ChildBuild } from './build-process.ts'
import type { LiveIndex } from '../index/live-index.ts'
import { watchTree } from '../index/watch-tree.ts'
import type { Layout } from '../paths.ts'

export interface Builder {
  /** asks for a build soon; resolves when a build that includes this request has finished */
  request(): Promise<void>
  close(): Promise<void>
}

export function autoBuild(
  layout: Layout,
  index: LiveIndex,
  opts: { passphrase?: string; onBuild(r: ChildBuild): void; onError(e: unknown): void; debounceMs?: number },
): Builder {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let closed = false
  let waiters: (() => void)[] = []
  const run = async () => {
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        const done = waiters
        waiters = []
        try {
          // in a process of its own: the build's memory is not left in the app's (build-process.ts)
          opts.onBuild(await buildInChild(layout, opts.passphrase))
        } catch (e) {
          opts.onError(e)
        }
        for (const w of done) w()
      } while (again && !closed)
    })()
    await running
    running = undefined
  }
  const request = () =>
    new Promise<void>((resolve) => {
      waiters.push(resolve)
      clearTimeout(timer)
      timer = setTimeout(() => void run(), opts.debounceMs ?? 20)
    })
  const off = index.onChange((c) => {
    if (c.mine) void request()
  })
  const others = watchTree([layout.keys, layout.groups, layout.templates], () => void request(), { create: false })
  const config = fs.watch(layout.root, (_e, name) => {
    if (name && name.toString() === path.basename(layout.config)) void request()
  })
  config.on('error', () => {})
  return {
    request,
    async close() {
      closed = true
      clearTimeout(timer)
      off()
      others.close()
      config.close()
      await running
      for (const w of waiters) w()
    },
  }
}
