// A paged list of entries, newest first: loads more as you scroll (or with the button), and applies live changes —
// new posts appear on top, changed threads re-render in place, deleted posts disappear.
import { api } from '../api.js'
import { el, postPath } from '../format.js'
import { renderEntry } from './entry.js'

/** feedList({ me, load: (before) => Promise<{entries, next}>, empty, say }) → { node, apply(change), close() } */
export function feedList({ me, load, empty, say }) {
  const list = el('div', { class: 'feed', 'aria-busy': 'false', 'aria-label': 'Posts' })
  const more = el('button', { type: 'button', class: 'quiet more-btn', hidden: true, onclick: () => next() }, 'Show older posts')
  const emptyNote = el('p', { class: 'empty', hidden: true }, empty)
  const sentinel = el('div', { class: 'sentinel', 'aria-hidden': 'true' })
  const node = el('section', {}, list, emptyNote, more, sentinel)
  let cursor = null
  let loading = false
  const opts = { me, say, onChange: (id) => refresh([id]) }

  const top = (id) => list.querySelector(`:scope > article[data-id="${CSS.escape(id)}"]`)
  const rootOf = (id) => list.querySelector(`article[data-id="${CSS.escape(id)}"]`)?.closest('.feed > article')

  async function next(first = false) {
    if (loading || (!first && !cursor)) return
    loading = true
    list.setAttribute('aria-busy', 'true')
    try {
      const page = await load(first ? null : cursor)
      for (const v of page.entries) if (!top(v.id)) list.append(renderEntry(v, opts))
      cursor = page.next
      more.hidden = !cursor
      emptyNote.hidden = list.children.length > 0
      setSizes()
    } catch (e) {
      say(e.message)
    } finally {
      loading = false
      list.setAttribute('aria-busy', 'false')
    }
  }

  function setSizes() {
    const n = list.children.length
    // a feed must hold articles: the role comes with the first one
    if (n) list.setAttribute('role', 'feed')
    else list.removeAttribute('role')
    ;[...list.children].forEach((a, i) => {
      a.setAttribute('aria-posinset', String(i + 1))
      a.setAttribute('aria-setsize', cursor ? '-1' : String(n))
    })
  }

  /** Re-reads the newest page and the threads that hold any of `ids`. */
  async function refresh(ids = [], removed = []) {
    try {
      for (const id of removed) {
        const art =
          list.querySelector(`article[data-id="${CSS.escape(id)}"]`) ?? list.querySelector(`article[data-likes~="${CSS.escape(id)}"]`)
        const root = art?.closest('.feed > article')
        if (root && root === art && art.dataset.id === id) root.remove()
        else if (root) ids.push(root.dataset.id)
      }
      const page = await load(null)
      let added = 0
      let anchor = list.firstElementChild
      for (const v of page.entries) {
        const have = top(v.id)
        if (have) {
          // an open reply or edit form is not thrown away; its own submit refreshes the entry
          if (treeIds(v).some((x) => ids.includes(x)) && !have.querySelector('.slot:not(:empty)')) {
            const fresh = renderEntry(v, opts)
            have.replaceWith(fresh)
            anchor = fresh.nextElementSibling
          } else anchor = have.nextElementSibling
        } else {
          list.insertBefore(renderEntry(v, opts), anchor)
          added++
        }
      }
      // threads further down that changed
      for (const id of ids) {
        const root = rootOf(id)
        if (!root || page.entries.some((v) => v.id === root.dataset.id)) continue
        const res = await api(`/api${postPath(root.dataset.id)}`.replace('/api/post/', '/api/posts/')).catch(() => null)
        if (res) root.replaceWith(renderEntry(res.entry, opts))
      }
      emptyNote.hidden = list.children.length > 0
      setSizes()
      if (added) say(`${added} new post${added > 1 ? 's' : ''}`)
    } catch (e) {
      say(e.message)
    }
  }

  const io = new IntersectionObserver(
    (es) => {
      if (es.some((e) => e.isIntersecting)) next()
    },
    { rootMargin: '600px' },
  )
  io.observe(sentinel)
  next(true)
  return {
    node,
    apply: (change) => refresh([...change.changed], [...change.removed]),
    close: () => io.disconnect(),
  }
}

const treeIds = (v) => [v.id, ...(v.likes ?? []).map((l) => l.id), ...(v.replies ?? []).flatMap(treeIds)]
