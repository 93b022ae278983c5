// A public comment or like of one of the owner's non-public posts must not name that post: its stem is its date and
// first words. In everything public (dist/api/public, /api/v1/public) such a reference becomes an opaque one.
import crypto from 'node:crypto'
import { sharedSecret, type SecretKey } from '../crypto/index.ts'
import type { Post } from '../posts/types.ts'

export const PRIVATE_REF_INFO = 'peerfeed private references v1'

/**
 * The key of opaque references: X25519 of the owner's key with itself through HKDF — only the owner can compute it,
 * and every device holding the key computes the same one. Undefined for a key without a Curve25519 subkey.
 */
export function privateRefKey(signer: SecretKey): Buffer | undefined {
  try {
    return sharedSecret({ mine: signer, theirs: signer.publicKey, info: PRIVATE_REF_INFO })
  } catch {
    return undefined
  }
}

/** `<owner>/private-<24 hex>`: a valid post id that no file name gives away; without a key, `<owner>/private`. */
export function opaqueRef(owner: string, id: string, key: Buffer | undefined): string {
  const tag = key ? `-${crypto.createHmac('sha256', key).update(id).digest('hex').slice(0, 24)}` : ''
  return `${owner.toLowerCase()}/private${tag}`
}

/**
 * The posts as the public may see them: a public post whose `inReplyTo` or `object` names one of the owner's posts
 * that is not public (or does not exist) gets an opaque reference instead, and a hash that says so (the page cache
 * then notices when the target becomes public or private).
 */
export function publicRefs(
  posts: ReadonlyMap<string, Post>,
  publicIds: ReadonlySet<string>,
  owner: string,
  key: Buffer | undefined,
): Map<string, Post> {
  const mine = `${owner.toLowerCase()}/`
  const hide = (ref: string | undefined) => ref !== undefined && ref.toLowerCase().startsWith(mine) && !publicIds.has(ref)
  const out = new Map(posts)
  for (const id of publicIds) {
    const p = posts.get(id)
    if (!p || !(hide(p.data.inReplyTo) || hide(p.data.object))) continue
    const data = { ...p.data }
    if (hide(data.inReplyTo)) data.inReplyTo = opaqueRef(owner, data.inReplyTo!, key)
    if (hide(data.object)) data.object = opaqueRef(owner, data.object!, key)
    const hash = crypto
      .createHash('sha256')
      .update(`${p.hash}\n${data.inReplyTo ?? ''}\n${data.object ?? ''}`)
      .digest('hex')
    out.set(id, { ...p, data, hash })
  }
  return out
}
