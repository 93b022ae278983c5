// The audience picker: public, any group, any friend; several at once. A listbox where a click toggles an option
// (no Ctrl needed); choosing public clears the others and the other way round.
import { el } from '../format.js'

let serial = 0

/** Returns { node, value(): string[], set(names) }. */
export function audiencePicker(me, selected = ['public'], { label = 'Audience' } = {}) {
  const id = `aud-${++serial}`
  const opt = (value, text) => el('option', { value }, text)
  const select = el(
    'select',
    { id, multiple: true, class: 'audience', name: 'to', 'aria-describedby': `${id}-hint` },
    opt('public', 'Public — everyone'),
    me.audiences.groups.map((g) => opt(g.name, `${g.name} — group of ${g.members.length}`)),
    me.audiences.friends.map((f) => opt(f, `${f} — friend`)),
  )
  select.size = Math.max(2, Math.min(6, select.options.length))
  const set = (names) => {
    const want = new Set(names.length ? names : ['public'])
    for (const o of select.options) o.selected = want.has(o.value)
    hint.textContent = describe()
  }
  const value = () => [...select.selectedOptions].map((o) => o.value)
  const describe = () => {
    const v = value()
    return !v.length || v.includes('public') ? 'Everyone can see it.' : `Only ${v.join(', ')} can see it (encrypted).`
  }
  const hint = el('span', { id: `${id}-hint`, class: 'hint' })
  const toggle = (o) => {
    o.selected = !o.selected
    if (o.selected && o.value === 'public') for (const x of select.options) if (x !== o) x.selected = false
    if (o.selected && o.value !== 'public') select.options[0].selected = false
    if (!value().length) select.options[0].selected = true
    hint.textContent = describe()
  }
  select.addEventListener('mousedown', (e) => {
    if (e.target instanceof HTMLOptionElement) {
      e.preventDefault()
      toggle(e.target)
      select.focus()
    }
  })
  select.addEventListener('change', () => {
    const v = value()
    if (v.includes('public') && v.length > 1) select.options[0].selected = false
    if (!value().length) select.options[0].selected = true
    hint.textContent = describe()
  })
  set(selected)
  const node = el('div', { class: 'field audience-field' }, el('label', { for: id }, label), select, hint)
  return { node, select, value, set }
}
