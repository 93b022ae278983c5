// One post with its whole thread, live.
import { api } from '../api.js'
import { el } from '../format.js'
import { on } from '../live.js'
import { renderEntry } from '../parts/entry.js'

export const title = 'Post'

export function render({ me, main, say, params }) {
  const holder = el('div', { class: 'feed single', 'aria-busy': 'true' })
  main.append(el('h1', { class: 'sr-only' }, 'Post and replies'), holder)
  const load = async () => {
    try {
      const res = await api(`/api/posts/${encodeURIComponent(params.fpr)}/${encodeURIComponent(params.stem)}`)
      const art = renderEntry(res.entry, { me, say, onChange: load })
      holder.replaceChildren(art)
      const focus = holder.querySelector(`article[data-id="${CSS.escape(res.focus)}"]`)
      focus?.classList.add('focus')
      document.title = `${res.entry.author.name} — PeerFeed`
    } catch (e) {
      holder.replaceChildren(el('p', { class: 'empty' }, e.message))
    } finally {
      holder.setAttribute('aria-busy', 'false')
    }
  }
  load()
  // any change may be a reply somewhere in this thread: reload, unless a reply or edit form is open here
  return on('posts', () => {
    if (!holder.querySelector('.slot:not(:empty)')) load()
  })
}
