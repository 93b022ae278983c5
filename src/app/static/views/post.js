// One post with its whole thread, live.
import { api } from '../api.js'
import { el } from '../format.js'
import { on } from '../live.js'
import { renderEntry } from '../parts/entry.js'

export const title = 'Post'

export function render({ me, main, say, params }) {
  const id = `${params.fpr}/${params.stem}`
  const holder = el('div', { class: 'feed single' })
  main.append(el('h1', { class: 'sr-only' }, 'Post and replies'), holder)
  let rootId
  const load = async () => {
    try {
      const res = await api(`/api/posts/${encodeURIComponent(params.fpr)}/${encodeURIComponent(params.stem)}`)
      rootId = res.entry.id
      const art = renderEntry(res.entry, { me, say, onChange: load })
      holder.replaceChildren(art)
      const focus = holder.querySelector(`article[data-id="${CSS.escape(res.focus)}"]`)
      focus?.classList.add('focus')
      document.title = `${res.entry.author.name} — PeerFeed`
    } catch (e) {
      holder.replaceChildren(el('p', { class: 'empty' }, e.message))
    }
  }
  load()
  return on('posts', (c) => {
    const here = [...holder.querySelectorAll('article')].map((a) => a.dataset.id)
    if ([...c.changed, ...c.removed].some((x) => here.includes(x) || x === id || x === rootId) || c.changed.length) load()
  })
}
