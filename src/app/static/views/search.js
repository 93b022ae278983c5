// Search my posts and my friends': words, #tag, from:name.
import { api } from '../api.js'
import { el } from '../format.js'
import { renderEntry } from '../parts/entry.js'

export const title = 'Search'

export function render({ me, main, say, go }) {
  const q = new URLSearchParams(location.search).get('q') ?? ''
  const input = el('input', { type: 'search', id: 'q', name: 'q', value: q, placeholder: 'words, #tag, from:alice', autocomplete: 'off' })
  const results = el('div', { class: 'feed', 'aria-live': 'polite' })
  const form = el(
    'form',
    {
      class: 'search',
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault()
        go(`/search?q=${encodeURIComponent(input.value)}`)
      },
    },
    el('label', { for: 'q', class: 'sr-only' }, 'Search posts'),
    input,
    el('button', { type: 'submit', class: 'primary' }, 'Search'),
  )
  main.append(el('h1', {}, 'Search'), form, results)
  if (!q.trim()) {
    results.append(el('p', { class: 'empty' }, 'Find posts by words, by #tag, or by author with from:name (from:me for yours).'))
    input.focus()
    return
  }
  const refresh = () => {
    results.setAttribute('aria-busy', 'true')
    return api(`/api/search?q=${encodeURIComponent(q)}&limit=50`)
      .then(
        (res) => {
          results.replaceChildren(
            el(
              'p',
              { class: 'result-count' },
              res.entries.length
                ? `${res.entries.length}${res.more ? '+' : ''} post${res.entries.length > 1 ? 's' : ''} for “${q}”`
                : `Nothing found for “${q}”.`,
            ),
            ...res.entries.map((v) => renderEntry(v, { me, say, onChange: refresh })),
          )
        },
        (e) => say(e.message),
      )
      .finally(() => results.setAttribute('aria-busy', 'false'))
  }
  refresh()
}
