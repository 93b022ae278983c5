// The app's first background sync can start as it opens (`peerfeed app` does): a friend's posts arrive without Sync now.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startApp } from '../../src/app/start.ts'
import { makeFeed } from '../helpers/peers.ts'

test('with firstAfterMs the first sync runs at start, and the next one only after the interval', async () => {
  const [sam, carol] = await Promise.all([makeFeed('sam'), makeFeed('carol')])
  const app = await (async () => {
    await carol.befriend(sam)
    await sam.befriend(carol)
    await carol.post({ text: 'Carol, first thing in the morning' })
    await carol.build()
    await sam.follow('carol', (await carol.serve()).url)
    return startApp({
      layout: sam.layout,
      port: 0,
      autoBuild: false,
      sync: { intervalMs: 3_600_000, firstAfterMs: 0, lan: false, dht: false },
    })
  })()
  try {
    const deadline = Date.now() + 60_000
    while ((await sam.inbox('carol')).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    assert.is((await sam.inbox('carol')).length, 1, "carol's post came home without Sync now")
    // the run ends (its cursor saved) and the next is scheduled
    while (!app.context.sync?.view().nextAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const next = app.context.sync?.view().nextAt
    assert.ok(next && Date.parse(next) - Date.now() > 3_000_000, `the next run is an interval later, not ${next}`)
  } finally {
    await app.close()
    await sam.close()
    await carol.close()
  }
})

test.run()
