// Groups: create one with friends, rename it (my posts addressed to it follow), add and remove members, delete it.
import { api } from '../api.js'
import { el } from '../format.js'

export const title = 'Groups'

export function render({ main, say }) {
  const list = el('div', { class: 'groups' })
  const problem = el('p', { class: 'problem', role: 'alert' })
  let friends = []

  const checkboxes = (prefix, names, checked = () => false) =>
    el(
      'fieldset',
      { class: 'members' },
      el('legend', {}, 'Members'),
      names.length
        ? names.map((n) =>
            el('label', { class: 'check' }, el('input', { type: 'checkbox', name: prefix, value: n, checked: checked(n) }), ` ${n}`),
          )
        : el('p', { class: 'hint' }, 'Add friends first.'),
    )
  const chosen = (form, prefix) => [...form.querySelectorAll(`input[name="${prefix}"]:checked`)].map((i) => i.value)

  async function change(path, opts, done) {
    problem.textContent = ''
    try {
      const res = await api(path, opts)
      say(done)
      show(res.groups)
    } catch (e) {
      problem.textContent = e.message
    }
  }

  function groupCard(g) {
    const rename = el('input', { type: 'text', id: `rename-${g.name}`, value: g.name, autocomplete: 'off', autocapitalize: 'none' })
    const form = el(
      'form',
      {
        class: 'compose-box group',
        'aria-labelledby': `g-${g.name}`,
        onsubmit: (e) => {
          e.preventDefault()
          const want = new Set(chosen(form, `m-${g.name}`))
          const add = [...want].filter((n) => !g.members.includes(n))
          const remove = g.members.filter((n) => !want.has(n))
          change(
            `/api/groups/${encodeURIComponent(g.name)}`,
            { method: 'PUT', body: { rename: rename.value.trim(), add, remove } },
            `Saved group ${rename.value.trim()}.`,
          )
        },
      },
      el('h2', { id: `g-${g.name}` }, g.name),
      el('div', { class: 'field' }, el('label', { for: `rename-${g.name}` }, `Name of group ${g.name}`), rename),
      checkboxes(`m-${g.name}`, [...new Set([...friends, ...g.members])].sort(), (n) => g.members.includes(n)),
      el(
        'div',
        { class: 'actions' },
        el(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: () => change(`/api/groups/${encodeURIComponent(g.name)}`, { method: 'DELETE' }, `Deleted group ${g.name}.`),
          },
          `Delete ${g.name}`,
        ),
        el('button', { type: 'submit', class: 'primary' }, `Save ${g.name}`),
      ),
    )
    return form
  }

  function show(groups) {
    list.replaceChildren(...(groups.length ? groups.map(groupCard) : [el('p', { class: 'empty' }, 'No groups yet.')]))
  }

  const name = el('input', {
    type: 'text',
    id: 'new-group',
    name: 'name',
    autocomplete: 'off',
    autocapitalize: 'none',
    placeholder: 'family',
  })
  const create = el('form', {
    class: 'compose-box',
    'aria-labelledby': 'new-h',
    onsubmit: (e) => {
      e.preventDefault()
      change(
        '/api/groups',
        { method: 'POST', body: { name: name.value.trim(), members: chosen(create, 'new-m') } },
        `Created group ${name.value.trim()}.`,
      ).then(() => {
        if (!problem.textContent) name.value = ''
      })
    },
  })

  main.append(
    el('h1', {}, 'Groups'),
    el(
      'p',
      { class: 'hint' },
      "A post to a group is encrypted to its members only. After a change, your next build re-keys the group's pages for the new members.",
    ),
    create,
    problem,
    list,
  )
  Promise.all([api('/api/friends'), api('/api/groups')]).then(
    ([f, g]) => {
      friends = f.friends.filter((x) => x.friend).map((x) => x.name)
      create.append(
        el('h2', { id: 'new-h' }, 'New group'),
        el('div', { class: 'field' }, el('label', { for: 'new-group' }, 'Group name'), name),
        checkboxes('new-m', friends),
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Create group')),
      )
      show(g.groups)
    },
    (e) => say(e.message),
  )
}
