// The audience rules `check`, `build` and `post` share: every name in `to` is a friend or a group, and not everyone is blocked.
import type { Problem } from '../errors.ts'
import type { Layout } from '../paths.ts'
import { positionOf } from './parse-post.ts'
import type { PostData } from './types.ts'
import { audienceOf } from './types.ts'

/** What the audience rules need, loaded once per check. */
export interface AudienceContext {
  friends: ReadonlyMap<string, string | undefined> // petname → fingerprint (undefined: unreadable key file)
  groups: ReadonlyMap<string, readonly string[]> // group → member petnames
  blocked: ReadonlySet<string>
}

export async function loadAudienceContext(l: Layout): Promise<AudienceContext> {
  const { scanPeers, scanGroups, loadBlocked } = await import('../identity/index.ts')
  const [peers, groups, blocked] = await Promise.all([
    scanPeers(l),
    scanGroups(l),
    // a broken block list is reported by checkIdentity; here it blocks nobody
    loadBlocked(l).catch(() => new Set<string>()),
  ])
  return {
    friends: new Map(peers.map((p) => [p.name, p.key?.fingerprint])),
    groups: new Map(groups.map((g) => [g.name, g.members.map((m) => m.name)])),
    blocked,
  }
}

const known = (ctx: AudienceContext) => {
  const list = (xs: string[]) => (xs.length ? xs.sort().join(', ') : 'none yet')
  return `known groups: ${list([...ctx.groups.keys()])}; known friends: ${list([...ctx.friends.keys()])}`
}

/** Problems with a post's `to` (an entirely blocked audience is a warning), positioned in the post file's YAML (read only when there is a problem). */
export function audienceProblems(data: PostData, file: string, text: () => string, ctx: AudienceContext): Problem[] {
  const out: Problem[] = []
  const names = audienceOf(data)
  const at = (i: number) => positionOf(text(), typeof data.to === 'string' ? ['to'] : ['to', i])
  const fingerprints = new Set<string>()
  let unknown = false
  for (const [i, name] of names.entries()) {
    if (name === 'public') continue
    if (ctx.friends.has(name)) {
      const fp = ctx.friends.get(name)
      if (fp) fingerprints.add(fp)
    } else if (ctx.groups.has(name)) {
      for (const m of ctx.groups.get(name)!) {
        const fp = ctx.friends.get(m)
        if (fp) fingerprints.add(fp)
      }
    } else {
      unknown = true
      out.push({
        file,
        ...at(i),
        message: `'to' names '${name}', who is neither a friend (keys/${name}.asc) nor a group (groups/${name}.yaml); ${known(ctx)}. Add them or fix the name`,
      })
    }
  }
  if (!unknown && !names.includes('public') && fingerprints.size > 0 && [...fingerprints].every((fp) => ctx.blocked.has(fp))) {
    const who = names.join(', ')
    out.push({
      file,
      ...at(0),
      warning: true,
      message: `everyone this post is for (${who}) is blocked, so nobody receives it; unblock someone (\`peerfeed unblock NAME\`) or change 'to'`,
    })
  }
  return out
}
