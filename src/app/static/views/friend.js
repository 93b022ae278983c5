// One friend: their name, key fingerprint and last sync, and their posts, live.
import { api } from '../api.js'
import { el, fullDate } from '../format.js'
import { on } from '../live.js'
import { feedList } from '../parts/feed-list.js'

export const title = 'Friend'

const groupsOf4 = (f) => f.toUpperCase().match(/.{1,4}/g).join(' ')

export function render({ me, main, say, params }) {
  const name = params.name
  const head = el('header', { class: 'profile' }, el('h1', {}, name))
  let first = true
  const feed = feedList({
    me, say,
    load: async (before) => {
      const res = await api(`/api/friends/${encodeURIComponent(name)}?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`)
      if (first) {
        first = false
        const f = res.friend
        head.append(el('dl', { class: 'facts' },
          el('div', {}, el('dt', {}, 'Key fingerprint'), el('dd', { class: 'fingerprint' }, f.fingerprint ? groupsOf4(f.fingerprint) : 'no key yet (public posts only)')),
          el('div', {}, el('dt', {}, 'Last sync'), el('dd', {}, f.lastSync ? el('time', { datetime: f.lastSync }, fullDate(f.lastSync)) : 'never'))))
      }
      return res
    },
    empty: `Nothing from ${name} yet. Run peerfeed sync to fetch their posts.`,
  })
  main.append(head, feed.node)
  const off = on('posts', (c) => feed.apply(c))
  return () => { off(); feed.close() }
}
