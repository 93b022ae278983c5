// Shared helpers for commands: error reporting and exit codes (only the CLI sets them), option parsing.
import { isPeerFeedError } from '../errors.ts'
import { findFeedRoot, requireFeedRoot } from '../feed-root.ts'
import { layout, type Layout } from '../paths.ts'

/** Flags whose values must stay strings even when they look like numbers. */
export const STRING_FLAGS = [
  'root',
  'out',
  'text',
  'to',
  'url',
  'title',
  'image',
  'alt',
  'place',
  'start',
  'end',
  'location',
  'name',
  'in-reply-to',
  'object',
  'reply-to',
  'of',
  'tags',
  'tag',
  'email',
  'passphrase-file',
  'host',
  'since',
  'from',
  'remote',
  'branch',
  'activity',
  'duration',
  'summary',
  'qr',
  'bootstrap',
]

export interface GlobalOpts {
  root?: string
  'passphrase-file'?: string
  [k: string]: unknown
}

/** The feed a command works on: --root, or the nearest feed at or above the current folder; refuses outside a feed. */
export const layoutOf = (opts: GlobalOpts) => layout(requireFeedRoot(opts.root), { out: opts.out as string | undefined })

/** For `init` alone: --root, else the feed around the current folder, else the current folder itself. */
export const newLayoutOf = (opts: GlobalOpts) =>
  layout(opts.root ?? findFeedRoot(process.cwd()) ?? process.cwd(), { out: opts.out as string | undefined })

/** A list flag given as `--to a --to b` or `--to a,b`. */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return []
  const arr = Array.isArray(v) ? v : [v]
  return arr
    .flatMap((x) => String(x).split(','))
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Wraps a command body: prints a PeerFeedError as its message (never a stack) and sets the exit code. */
export function command<A extends unknown[]>(fn: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args)
      process.exitCode = code ?? 0
    } catch (e) {
      if (isPeerFeedError(e)) {
        console.error(`peerfeed: ${e.toString()}`)
      } else {
        const msg = e instanceof Error ? e.message : String(e)
        console.error(`peerfeed: unexpected error: ${msg}`)
        if (process.env.PEERFEED_DEBUG) console.error(e)
      }
      process.exitCode = 1
    }
  }
}

/**
 * Commits a change to friends, groups or settings as its own commit (like `post`), and says so; a feed that is
 * not a git repository is left uncommitted without complaint.
 */
export async function record(l: Layout, paths: string[], message: string): Promise<void> {
  const { commitChanges } = await import('../git.ts')
  const sha = await commitChanges(l.root, paths, message)
  if (sha) console.log(`committed ${sha.slice(0, 10)} (${message})`)
}

export type { Layout }
