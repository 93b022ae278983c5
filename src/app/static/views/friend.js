// One friend: their name, key fingerprint and last sync, and their posts, live.
import { api } from '../api.js'
import { el, fullDate } from '../format.js'
import { on } from '../live.js'
import { feedList } from '../parts/feed-list.js'

export const title = 'Friend'

const groupsOf4 = (f) =>
  f
    .toUpperCase()
    .match(/.{1,4}/g)
    .join(' ')

function lastSync(s) {
  if (!s) return 'never (run peerfeed sync)'
  const when = el('time', { datetime: s.at }, fullDate(s.at))
  if (s.ok) return [when, ` — ${s.posts ? `${s.posts} new or changed post${s.posts > 1 ? 's' : ''}` : 'up to date'}`]
  return [
    when,
    el('span', { class: 'problem' }, ` — failed: ${s.error ?? 'unknown error'}`),
    s.lastOk ? ` (last worked ${fullDate(s.lastOk)})` : '',
  ]
}

export function render({ me, main, say, params }) {
  const name = params.name
  const head = el('header', { class: 'profile' }, el('h1', {}, name))
  let first = true
  const feed = feedList({
    me,
    say,
    load: async (before) => {
      const res = await api(`/api/friends/${encodeURIComponent(name)}?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`)
      if (first) {
        first = false
        const f = res.friend
        head.append(
          el(
            'dl',
            { class: 'facts' },
            el(
              'div',
              {},
              el('dt', {}, 'Key fingerprint'),
              el('dd', { class: 'fingerprint' }, f.fingerprint ? groupsOf4(f.fingerprint) : 'no key yet (public posts only)'),
            ),
            el('div', {}, el('dt', {}, 'Last sync'), el('dd', {}, lastSync(f.lastSync))),
          ),
        )
      }
      return res
    },
    empty: `Nothing from ${name} yet. Run peerfeed sync to fetch their posts.`,
  })
  main.append(head, feed.node)
  const off = on('posts', (c) => feed.apply(c))
  return () => {
    off()
    feed.close()
  }
}
