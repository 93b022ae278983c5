// Notifications: friends' comments and likes on my posts, and posts for me alone; marked read once seen here.
import { api } from '../api.js'
import { el } from '../format.js'
import { on } from '../live.js'
import { renderEntry } from '../parts/entry.js'

export const title = 'Notifications'

const WHAT = { comment: 'replied to your post', like: 'liked your post', 'to-you': 'wrote to you alone' }

export function render({ me, main, say }) {
  const list = el('ol', { class: 'feed notifications', 'aria-label': 'Notifications' })
  main.append(el('h1', {}, 'Notifications'), list)
  async function load() {
    try {
      const res = await api('/api/notifications')
      const item = (n) =>
        el(
          'li',
          { class: `notification${n.read ? '' : ' unread'}` },
          el(
            'p',
            { class: 'context' },
            el('strong', {}, n.entry.author.name),
            ` ${WHAT[n.kind]}`,
            n.about ? `: “${n.about.excerpt}”` : '',
            n.read ? '' : el('span', { class: 'new-dot' }, ' · new'),
          ),
          renderEntry(n.entry, { me, say, onChange: load }),
        )
      list.replaceChildren(
        ...(res.items.length
          ? res.items.map(item)
          : [el('li', { class: 'empty' }, 'Nothing yet. Replies and likes from friends, and posts for you alone, show here.')]),
      )
      // seen: mark them read (the badge follows over the event stream)
      if (res.unread)
        await api('/api/notifications/read', { method: 'POST', body: { ids: res.items.filter((n) => !n.read).map((n) => n.id) } })
    } catch (e) {
      say(e.message)
    }
  }
  load()
  const off = on('posts', () => load())
  return off
}
