// Home: the composer, then my posts and every friend's, newest first, paged as you scroll, live.
import { api } from '../api.js'
import { el } from '../format.js'
import { on } from '../live.js'
import { composer } from '../parts/composer.js'
import { feedList } from '../parts/feed-list.js'

export const title = 'Home'

export function render({ me, main, say }) {
  const feed = feedList({
    me,
    say,
    load: (before) => api(`/api/timeline?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`),
    empty: 'Nothing here yet. Write your first post above, or add a friend and run peerfeed sync.',
  })
  const form = composer({ me, onPosted: () => say("Posted. Your site and friends' pages are being updated.") })
  main.append(
    el('h1', { class: 'sr-only' }, 'Home'),
    el('section', { class: 'compose-box home-only', 'aria-label': 'Write' }, form),
    feed.node,
  )
  const off = on('posts', (c) => feed.apply(c))
  return () => {
    off()
    feed.close()
  }
}
