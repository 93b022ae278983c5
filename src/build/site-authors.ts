// Who my friends are on my public site: the name in their key (never a petname or key id) and their site when followed.
import type { PublicKey } from '../crypto/index.ts'
import type { Layout } from '../paths.ts'
import type { Author } from './site/types.ts'
import { safeUrl } from './site/urls.ts'

export async function siteAuthors(layout: Layout, peers: ReadonlyMap<string, PublicKey>): Promise<Map<string, Author>> {
  const out = new Map<string, Author>()
  for (const key of peers.values()) if (key.name) out.set(key.fingerprint, { name: key.name })
  const { readFollows, resolveFollow } = await import('../sync/follows.ts')
  for (const f of await readFollows(layout).catch(() => [])) {
    const r = await resolveFollow(layout, f).catch(() => undefined)
    const name = r?.key.name
    if (!r || !name) continue
    const url = safeUrl(f.url)
    out.set(r.key.fingerprint, { name, ...(url ? { url } : {}) })
  }
  return out
}
