// Two real feeds for the app's tests and screenshots: "sam" (the app's owner) and "alice", a friend with her own
// server. Alice posts publicly and to Sam alone; Sam syncs her; Sam has one post of every type.
import fs from 'node:fs/promises'
import path from 'node:path'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import type { RunningServer } from '../../src/server/index.ts'
import { landscapePng } from './picture.ts'

// commits made in-process need an author even on a machine without git config
for (const [k, v] of Object.entries({
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 't@example.org',
}))
  process.env[k] ??= v

export interface Pair {
  sam: TestFeed
  alice: TestFeed
  aliceServer: RunningServer
  close(): Promise<void>
}

const ago = (min: number) => new Date(Date.now() - min * 60_000)

/** Sam and Alice, friends both ways; Alice serves her feed and Sam follows her. `rich` adds a post of every type. */
export async function pair({ rich = false }: { rich?: boolean } = {}): Promise<Pair> {
  const sam = await makeFeed('sam')
  const alice = await makeFeed('alice')
  await sam.befriend(alice)
  await alice.befriend(sam)
  await sam.group('family', ['alice'])
  if (rich) {
    const pic = path.join(alice.layout.root, 'hills.png')
    await fs.writeFile(pic, landscapePng(480, 320, 0))
    await alice.post(
      { text: 'Morning walk above the valley. The fog lifted just as we reached the top. #hiking', tags: ['hiking'] },
      { now: ago(60 * 26) },
    )
    await alice.post({ type: 'image', text: 'The view from the ridge', attachments: undefined } as never, {
      now: ago(60 * 5),
      files: [{ source: pic, alt: 'Green hills under a blue sky with the sun low on the right' }],
    })
    await alice.post(
      {
        type: 'event',
        name: 'Cheese and board games',
        start: '2026-12-12T19:00:00+01:00',
        end: '2026-12-12T23:00:00+01:00',
        location: 'My place, Lindenweg 3',
        text: 'Bring a game you love!',
        to: ['sam'],
      },
      { now: ago(90) },
    )
  }
  await alice.post({ text: 'Only for Sam: the spare key is under the blue pot.', to: ['sam'] }, { now: ago(30) })
  await alice.build()
  const aliceServer = await alice.serve()
  await sam.follow('alice', aliceServer.url)
  await sam.sync()
  if (rich) {
    const pic = path.join(sam.layout.root, 'garden.png')
    await fs.writeFile(pic, landscapePng(480, 320, 1.3))
    await sam.post(
      { type: 'link', url: 'https://www.openstreetmap.org/about', title: 'About OpenStreetMap', text: 'The map that everyone can edit.' },
      { now: ago(60 * 24 * 3) },
    )
    await sam.post(
      { type: 'location', lat: 47.3769, lon: 8.5417, place: 'Zürich main station', text: 'Waiting for the night train.' },
      { now: ago(60 * 30) },
    )
    await sam.post(
      {
        type: 'activity',
        activity: 'run',
        distanceKm: 10.5,
        duration: 'PT52M30S',
        elevationM: 120,
        text: 'New best time along the river!',
      },
      { now: ago(60 * 8) },
    )
    await sam.post({ type: 'image', text: 'Our garden after the rain', tags: ['garden'] } as never, {
      now: ago(45),
      files: [{ source: pic, alt: 'A garden with green hills behind it' }],
    })
    await sam.post({ text: 'Soup is on. Who is coming on Sunday?', to: ['family'] }, { now: ago(20) })
  }
  return {
    sam,
    alice,
    aliceServer,
    async close() {
      await sam.close()
      await alice.close()
    },
  }
}
