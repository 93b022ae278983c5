// Writes each private audience's pages, attachment blobs and each friend's index as signed OpenPGP messages;
// a page whose plaintext and readers did not change is not encrypted again (content-addressed).
import fs from 'node:fs/promises'
import path from 'node:path'
import { encryptAndSign, type PublicKey, type SecretKey } from '../crypto/index.ts'
import type { Output } from './output.ts'
import type { Post } from '../posts/types.ts'
import { sha256Hex } from '../protocol/canonical.ts'
import type { AudienceManifest } from '../protocol/build-manifest.ts'
import type { FriendIndex, PageRef, PrivatePage } from '../protocol/wire.ts'
import { typesOf, wireEntry } from './entries.ts'
import type { LedgerEntry } from './ledger.ts'
import { blobName, pageName, privatePath } from './page-names.ts'
import { planPages } from './plan-pages.ts'
import { readInside } from '../posts/inside-feed.ts'

export interface PrivateAudience {
  key: string
  kind: 'friend' | 'group'
  name: string
  recipients: PublicKey[]
  nameKey: Buffer | string
  /** in cursor order (ledger.ts) */
  entries: readonly LedgerEntry[]
  starts: number[]
}

/** page name → content key (sha256 of plaintext and readers) of the file now in dist */
export type PageCache = Record<string, string>

export interface PrivateContext {
  out: Output
  root: string
  signer: SecretKey
  owner: string
  posts: ReadonlyMap<string, Post>
  cache: PageCache
  newCache: PageCache
  stats: { encrypted: number; reused: number }
}

/**
 * Encrypts `data` to `to` at `p/<name>.asc` unless the file there already holds the same content for the same
 * readers. `stable` stands in for `data` in that comparison when parts of it (a timestamp) must not count.
 */
async function writeMessage(
  ctx: PrivateContext,
  name: string,
  data: string | Uint8Array | (() => Promise<Uint8Array>),
  to: PublicKey[],
  stable: string | Uint8Array = data as string | Uint8Array,
) {
  const key = sha256Hex(
    `${sha256Hex(stable)}\n${to
      .map((k) => k.fingerprint)
      .sort()
      .join(',')}\n${ctx.signer.fingerprint}`,
  )
  if (ctx.newCache[name] === key) return // the same blob, already written for another page of this build
  ctx.newCache[name] = key
  if (ctx.cache[name] === key && (await ctx.out.exists(privatePath(name)))) {
    ctx.stats.reused++
    return
  }
  const plain = typeof data === 'function' ? await data() : data
  await ctx.out.write(privatePath(name), await encryptAndSign({ data: plain, to, signer: ctx.signer }))
  ctx.stats.encrypted++
}

export async function writeAudience(ctx: PrivateContext, a: PrivateAudience): Promise<{ manifest: AudienceManifest; starts: number[] }> {
  const pages = planPages(a.entries, a.starts)
  const refs: PageRef[] = []
  const readers = a.recipients.map((k) => k.fingerprint).sort()
  for (const page of pages) {
    const name = pageName(a.nameKey, page.start)
    // a page whose entries are the same post versions, for the same readers, as last time is left alone without
    // building its entries again (as public-pages.ts does): its inputs name everything its plaintext and its
    // encryption depend on (a post's data and attachments' hashes come from its file, whose hash is `hash`)
    const inputs = sha256Hex(
      JSON.stringify([
        ctx.owner,
        ctx.signer.fingerprint,
        readers,
        a.kind,
        a.name,
        page.entries.map((e) => [e.id, e.c, e.d ?? 0, ctx.posts.get(e.id)?.hash ?? '']),
      ]),
    )
    const kept = await keptPage(ctx, name, inputs)
    if (kept) {
      refs.push(kept)
      continue
    }
    const blobs: string[] = []
    const files = (p: Post) => {
      if (!p.data.attachments?.length) return undefined
      return Object.fromEntries(p.data.attachments.map((att) => [att.path, blobName(a.nameKey, blobSha(ctx, p, att.path))]))
    }
    const entries = page.entries.map((e) => wireEntry(e, ctx.posts.get(e.id), files))
    for (const e of entries) {
      for (const [rel, blob] of Object.entries(e.files ?? {})) {
        const post = ctx.posts.get(e.id)!
        // the file is read only when its blob must be encrypted; its hash (in the signed post) names the content
        const read = async () => readInside(path.resolve(ctx.root, path.dirname(post.file)), rel)
        await writeMessage(ctx, blob, read, a.recipients, blobSha(ctx, post, rel))
        blobs.push(blob)
      }
    }
    const plain: PrivatePage = { v: 1, owner: ctx.owner, audience: a.kind === 'friend' ? 'you' : a.name, entries }
    await writeMessage(ctx, name, JSON.stringify(plain), a.recipients)
    const ref: PageRef = {
      name,
      audience: plain.audience,
      first: entries[0].cursor,
      last: entries[entries.length - 1].cursor,
      count: entries.length,
      types: typesOf(entries),
    }
    ctx.newCache[`${name}/inputs`] = inputs
    ctx.newCache[`${name}/ref`] = JSON.stringify({ ref, blobs })
    refs.push(ref)
  }
  return {
    manifest: { key: a.key, kind: a.kind, name: a.name, members: a.recipients.map((k) => k.fingerprint).sort(), pages: refs },
    starts: pages.map((p) => p.start),
  }
}

/** Each friend's index: every page of their own audience and of their groups, encrypted to them alone. */
export async function writeFriendIndex(
  ctx: PrivateContext,
  friend: PublicKey,
  indexName: string,
  audiences: AudienceManifest[],
  generated: string,
) {
  const pages = audiences.filter((a) => a.members.includes(friend.fingerprint)).flatMap((a) => a.pages)
  pages.sort((x, y) => Number(BigInt(x.last) - BigInt(y.last)))
  const index: FriendIndex = { v: 1, owner: ctx.owner, generated, pages }
  // the timestamp alone must not force a re-encryption: compare on the pages only
  await writeMessage(ctx, indexName, JSON.stringify(index), [friend], JSON.stringify({ ...index, generated: '' }))
}

/**
 * The ref of a page the last build wrote from the same inputs, when it and its attachments' blobs are still in the
 * tree: they are kept (in this build's cache) as they are. undefined: build the page.
 */
async function keptPage(ctx: PrivateContext, name: string, inputs: string): Promise<PageRef | undefined> {
  const saved = ctx.cache[`${name}/ref`]
  if (ctx.cache[`${name}/inputs`] !== inputs || !saved || !ctx.cache[name]) return undefined
  const { ref, blobs } = JSON.parse(saved) as { ref: PageRef; blobs: string[] }
  for (const f of [name, ...blobs]) if (!ctx.cache[f] || !(await ctx.out.exists(privatePath(f)))) return undefined
  for (const f of [name, ...blobs]) {
    if (ctx.newCache[f] === ctx.cache[f]) continue
    ctx.newCache[f] = ctx.cache[f]
    ctx.stats.reused++
  }
  ctx.newCache[`${name}/inputs`] = inputs
  ctx.newCache[`${name}/ref`] = saved
  return ref
}

function blobSha(ctx: PrivateContext, p: Post, rel: string): string {
  const a = p.data.attachments!.find((x) => x.path === rel)!
  // check guarantees sha256 matches when present; hand-written posts without one are named by path and post hash
  return a.sha256 ?? sha256Hex(`${p.hash}:${rel}`)
}

/** Deletes files under p/ that no audience or index wrote this time (pages of removed friends, old names). */
export async function pruneStale(out: Output, keep: ReadonlySet<string>): Promise<number> {
  const names = await fs.readdir(out.abs('p')).catch(() => [] as string[])
  let n = 0
  for (const f of names) {
    if (f.endsWith('.asc') && !keep.has(f.slice(0, -4))) {
      await out.remove(`p/${f}`)
      n++
    }
  }
  return n
}
