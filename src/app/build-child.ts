// One build, in a process of its own: the app hands its builds here, so the memory a build uses (every post of the
// feed, the site plan, OpenPGP.js's buffers) goes back to the system when it ends instead of staying in the app.
// Started by buildInChild (build-process.ts); the layout and the passphrase come over the IPC channel, never argv.
import { buildFeed } from '../build/build.ts'
import { isPeerFeedError } from '../errors.ts'
import type { Layout } from '../paths.ts'
import type { ChildAnswer } from './build-process.ts'

process.once('message', async (m: { layout: Layout; passphrase?: string }) => {
  let answer: ChildAnswer
  try {
    const r = await buildFeed(m.layout, { passphrase: m.passphrase })
    answer = { ok: true, changed: r.changed, stats: r.stats, ...(r.warnings ? { warnings: r.warnings } : {}) }
  } catch (e) {
    answer = { ok: false, message: (e as Error).message, ...(isPeerFeedError(e) ? { code: e.code } : {}) }
  }
  process.send!(answer, () => process.exit(0))
})
