// `peerfeed check` for identity files: key files, group files and the block list, as file:line:col problems.
import fs from 'node:fs/promises'
import type { Problem } from '../errors.ts'
import { PeerFeedError } from '../errors.ts'
import { rel, type Layout } from '../paths.ts'
import { listBlocked } from './blocked.ts'
import { scanGroups } from './groups.ts'
import { formatFingerprint } from './names.ts'
import { scanPeers } from './peers.ts'
import { readKeyFile } from './self.ts'

const problem = (e: PeerFeedError, fallback: string): Problem => ({
  file: e.place.file ?? fallback,
  ...(e.place.line ? { line: e.place.line, col: e.place.col ?? 1 } : {}),
  // The file is already named in place; keep the message itself free of a repeated "path: " prefix.
  message: e.message.startsWith(`${e.place.file}: `) ? e.message.slice(`${e.place.file}: `.length) : e.message,
})

/** Everything wrong with keys/, groups/ and the block list. An empty array means all is well. */
export async function checkIdentity(l: Layout, date = new Date()): Promise<Problem[]> {
  const out: Problem[] = []
  const selfRel = rel(l, l.selfPublicKey)
  try {
    const self = await readKeyFile(l, l.selfPublicKey, date)
    // a build must still publish a revoked key (that is how friends learn of it): warnings, not errors
    if (self.revoked) out.push({ file: selfRel, message: 'your own key is revoked; create a new identity', warning: true })
    else if (self.expired)
      out.push({
        file: selfRel,
        message: 'your own key has expired; extend it (gpg --quick-set-expire) or create a new identity',
        warning: true,
      })
  } catch (e) {
    if (!(e instanceof PeerFeedError)) throw e
    out.push(
      e.code === 'NO_KEY_FILE'
        ? { file: selfRel, message: 'missing: this feed has no identity yet; run `peerfeed init`' }
        : problem(e, selfRel),
    )
  }

  const peers = await scanPeers(l, date)
  const byFp = new Map<string, string>()
  for (const p of peers) {
    const file = rel(l, p.file)
    if (p.error) {
      out.push(problem(p.error, file))
      continue
    }
    const k = p.key!
    // nothing new is encrypted to such a key (the build leaves them out); the feed itself is fine
    if (k.revoked)
      out.push({
        file,
        message: `the key of "${p.name}" is revoked: nothing new is sent to them; ask them for their new key, or \`peerfeed peer remove ${p.name}\``,
        warning: true,
      })
    else if (k.expired)
      out.push({
        file,
        message: `the key of "${p.name}" has expired: nothing new is sent to them; ask them for an updated key`,
        warning: true,
      })
    else if (!k.hasEncryptionKey)
      out.push({
        file,
        message: `the key of "${p.name}" has no usable encryption subkey${k.encryptionProblem ? ` (${k.encryptionProblem})` : ''}; nothing can be sent to them`,
      })
    const other = byFp.get(k.fingerprint)
    if (other)
      out.push({
        file,
        message: `same key (${formatFingerprint(k.fingerprint)}) as "${other}"; keep one petname per key and delete this file`,
      })
    else byFp.set(k.fingerprint, p.name)
  }

  const petnames = new Set(peers.map((p) => p.name))
  for (const g of await scanGroups(l)) {
    const file = rel(l, g.file)
    for (const e of g.errors) out.push(problem(e, file))
    if (petnames.has(g.name))
      out.push({
        file,
        message: `group "${g.name}" has the same name as a friend (keys/${g.name}.asc); rename one, since a post's \`to\` could not tell them apart`,
      })
    for (const m of g.members) {
      if (!petnames.has(m.name)) {
        out.push({
          file,
          line: m.line,
          col: m.col,
          message: `member "${m.name}" has no key (keys/${m.name}.asc); add it with \`peerfeed peer add ${m.name} KEY\` or remove the line`,
        })
      }
    }
  }

  try {
    await fs.access(l.blocked).then(
      () => listBlocked(l),
      () => [],
    )
  } catch (e) {
    if (!(e instanceof PeerFeedError)) throw e
    out.push(problem(e, rel(l, l.blocked)))
  }
  return out
}
