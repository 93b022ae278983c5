// The feed bench/build.ts and bench/cli.ts build: `n` posts, one every 3 hours (every fifth private: to one friend, a group, or both),
// `friends` friends with real keys, `groups` groups.
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateIdentity } from '../src/crypto/index.ts'
import { addToGroup } from '../src/identity/index.ts'
import { layout, type Layout } from '../src/paths.ts'
import { initFeed } from '../src/posts/init-feed.ts'
import { generateFeed, tmp } from './util.ts'

export interface BuildFixture {
  l: Layout
  files: string[]
  names: string[]
  groupNames: string[]
}

export async function buildFixture(n: number, friends: number, groups: number, prefix = 'peerfeed-bench-build-'): Promise<BuildFixture> {
  const l = layout(await tmp(prefix))
  await initFeed(l, { name: 'Bench' })
  const names = Array.from({ length: friends }, (_, i) => `friend${i}`)
  for (const name of names) {
    const id = await generateIdentity({ name })
    await fs.writeFile(path.join(l.keys, `${name}.asc`), id.publicArmored)
  }
  const groupNames = Array.from({ length: groups }, (_, g) => `group${g}`)
  for (const [g, name] of groupNames.entries())
    await addToGroup(
      l,
      name,
      names.filter((_, i) => i % groups === g || i % 7 === g),
    )
  const to = (i: number) => {
    if (i % 5 !== 0) return undefined
    const k = i / 5
    return k % 3 === 0 ? [names[k % friends]] : k % 3 === 1 ? [groupNames[k % groups]] : [groupNames[k % groups], names[(k * 7) % friends]]
  }
  // a post every 3 hours: 10,000 posts span 3.4 years, about 240 a month, as a busy real feed would (one a minute put
  // every post in one month, whose archive page every new month then re-renders)
  const files = await generateFeed(l.root, n, { to, start: Date.parse('2023-01-01T00:00:00Z'), stepMs: 3 * 3600_000 })
  return { l, files, names, groupNames }
}
