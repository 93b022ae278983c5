// The unread count on the Notifications link, kept current from the event stream. The link reads
// "Notifications, 2 unread" to screen readers and shows "Notifications 2".
import { api } from '../api.js'
import { el } from '../format.js'
import { on } from '../live.js'

export function notificationBadge(nav) {
  const link = nav.querySelector('a[href="/notifications"]')
  if (!link) return
  const count = el('span', { class: 'badge', 'aria-hidden': 'true' })
  const said = el('span', { class: 'sr-only' })
  const wrap = el('span', { hidden: true }, said, count)
  link.append(wrap)
  const show = (n) => {
    wrap.hidden = !n
    count.textContent = n > 99 ? '99+' : String(n)
    said.textContent = `, ${n} unread`
  }
  const refresh = () =>
    api('/api/notifications/count').then(
      (r) => show(r.unread),
      () => {},
    )
  refresh()
  on('posts', refresh)
  on('notifications', (m) => show(m.unread))
  on('sync', (m) => {
    if (m.type === 'done') refresh()
  })
}
