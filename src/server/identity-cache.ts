// The owner's friends' keys and block list as the server sees them, reloaded when keys/ or the block list change.
import fs from 'node:fs'
import type { PublicKey } from '../crypto/index.ts'
import type { Layout } from '../paths.ts'

export interface Known {
  keys: PublicKey[]
  blocked: ReadonlySet<string>
}

const stamp = (p: string) => {
  const st = fs.statSync(p, { throwIfNoEntry: false })
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : '-'
}

/** One stat of keys/ and of the block list per call; a reload only when one of them changed. */
export function identityCache(layout: Layout, log: (m: string) => void = () => {}): { get(): Promise<Known> } {
  let key = ''
  let current: Promise<Known> | undefined
  return {
    get() {
      const k = `${stamp(layout.keys)}|${stamp(layout.blocked)}`
      if (current && k === key) return current
      key = k
      current = (async () => {
        const { scanPeers, loadBlocked } = await import('../identity/index.ts')
        const [peers, blocked] = await Promise.all([scanPeers(layout), loadBlocked(layout)])
        for (const p of peers) if (p.error) log(`ignoring ${p.name}: ${p.error.message}`)
        return { keys: peers.flatMap((p) => (p.key ? [p.key] : [])), blocked }
      })()
      current.catch(() => {
        key = ''
      })
      return current
    },
  }
}
