// Where everything lives inside a feed root. Every module takes a Layout, so tests point it at temp dirs.
import path from 'node:path'

export interface Layout {
  root: string
  feed: string
  keys: string
  groups: string
  inbox: string
  templates: string
  dist: string
  /** Local, git-ignored state: secret key, caches, block list, follows, sync cursors. Never published. */
  state: string
  selfPublicKey: string
  selfSecretKey: string
  blocked: string
  follows: string
  config: string
}

export function layout(root = process.cwd(), opts: { out?: string } = {}): Layout {
  const r = path.resolve(root)
  const state = path.join(r, '.peerfeed')
  return {
    root: r,
    feed: path.join(r, 'feed'),
    keys: path.join(r, 'keys'),
    groups: path.join(r, 'groups'),
    inbox: path.join(r, 'inbox'),
    templates: path.join(r, 'templates'),
    dist: path.resolve(r, opts.out ?? 'dist'),
    state,
    selfPublicKey: path.join(r, 'keys', 'self.asc'),
    selfSecretKey: path.join(state, 'self.secret.asc'),
    blocked: path.join(state, 'blocked.yaml'),
    follows: path.join(state, 'follows.yaml'),
    config: path.join(r, 'peerfeed.yaml'),
  }
}

/** A path relative to the root with forward slashes, as shown in messages and stored in ids. */
export const rel = (l: Layout, p: string) => path.relative(l.root, p).split(path.sep).join('/')
