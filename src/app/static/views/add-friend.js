// Add a friend: their feed address, a key file, or their key pasted; the app shows the key's name and fingerprint and
// asks to confirm before saving (the same checks as `peerfeed peer add`), then offers to follow them.
import { api } from '../api.js'
import { el } from '../format.js'

export const title = 'Add a friend'

const toBase64 = (buf) => {
  let s = ''
  const bytes = new Uint8Array(buf)
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

export function render({ main, say, go }) {
  const problem = el('p', { class: 'problem', role: 'alert', id: 'add-problem' })
  const step2 = el('section', { 'aria-live': 'polite', id: 'confirm' })
  const url = el('input', {
    type: 'url',
    id: 'key-url',
    name: 'url',
    placeholder: 'https://alice.example.org/',
    autocomplete: 'off',
    inputmode: 'url',
  })
  const file = el('input', { type: 'file', id: 'key-file', name: 'file', accept: '.asc,.gpg,.pgp,.key,application/pgp-keys,text/plain' })
  const pasted = el('textarea', {
    id: 'key-text',
    name: 'armored',
    rows: 5,
    placeholder: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    spellcheck: 'false',
  })
  let source

  async function preview(e) {
    e.preventDefault()
    problem.textContent = ''
    step2.replaceChildren()
    const f = file.files?.[0]
    source = url.value.trim()
      ? { url: url.value.trim() }
      : f
        ? { file: toBase64(await f.arrayBuffer()) }
        : pasted.value.trim()
          ? { armored: pasted.value }
          : undefined
    if (!source) {
      problem.textContent = "Give your friend's feed address, choose their key file, or paste their key."
      return
    }
    try {
      const { preview: p } = await api('/api/friends/preview', { method: 'POST', body: source })
      showPreview(p)
    } catch (err) {
      problem.textContent = err.message
    }
  }

  function showPreview(p) {
    const name = el('input', {
      type: 'text',
      id: 'petname',
      name: 'name',
      value: p.suggestedName,
      required: true,
      autocomplete: 'off',
      autocapitalize: 'none',
      'aria-describedby': 'petname-hint',
    })
    const nameProblem = el('p', { class: 'problem', id: 'petname-problem' })
    const confirm = el(
      'form',
      {
        class: 'confirm',
        onsubmit: async (e) => {
          e.preventDefault()
          nameProblem.textContent = ''
          try {
            const res = await api('/api/friends', {
              method: 'POST',
              body: { ...source, name: name.value.trim(), fingerprint: p.fingerprint },
            })
            say(`Added ${res.friend.name}.`)
            offerFollow(res.friend, res.followUrl)
          } catch (err) {
            nameProblem.textContent = err.fields?.name ?? err.message
            name.setAttribute('aria-invalid', 'true')
          }
        },
      },
      el('h2', {}, "Is this your friend's key?"),
      el(
        'dl',
        { class: 'facts' },
        el('div', {}, el('dt', {}, 'Name in the key'), el('dd', { class: 'key-name' }, p.name ?? '(none)')),
        p.email ? el('div', {}, el('dt', {}, 'Email'), el('dd', {}, p.email)) : '',
        el('div', {}, el('dt', {}, 'Fingerprint'), el('dd', { class: 'fingerprint key-fingerprint' }, p.formatted)),
        el('div', {}, el('dt', {}, 'From'), el('dd', {}, p.origin)),
      ),
      el(
        'p',
        { class: 'hint' },
        'Compare the fingerprint with the one your friend sees under My key (in person or on a call) before you confirm.',
      ),
      p.blocked ? el('p', { class: 'problem' }, 'This key is blocked: it will receive nothing until you unblock it.') : '',
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'petname' }, 'Call them'),
        name,
        el('span', { class: 'hint', id: 'petname-hint' }, 'A short name you use for them: lower-case letters, digits, - or _.'),
        nameProblem,
      ),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', onclick: () => step2.replaceChildren() }, 'Cancel'),
        el('button', { type: 'submit', class: 'primary' }, 'Confirm and add'),
      ),
    )
    step2.replaceChildren(confirm)
    name.focus()
  }

  function offerFollow(friend, followUrl) {
    const u = el('input', {
      type: 'url',
      id: 'follow-url',
      value: followUrl ?? '',
      placeholder: 'leave empty to find them on the LAN or the DHT',
      inputmode: 'url',
    })
    step2.replaceChildren(
      el(
        'form',
        {
          class: 'confirm',
          onsubmit: async (e) => {
            e.preventDefault()
            try {
              await api(`/api/friends/${encodeURIComponent(friend.name)}/follow`, { method: 'POST', body: { url: u.value.trim() } })
              say(`Following ${friend.name}. Their posts arrive with the next sync.`)
              go('/friends')
            } catch (err) {
              say(err.message)
            }
          },
        },
        el('h2', {}, `${friend.name} is your friend now. Follow them?`),
        el(
          'p',
          {},
          `Following fetches ${friend.name}'s posts when you sync. They need your key too to share private posts with you (My key).`,
        ),
        el('div', { class: 'field' }, el('label', { for: 'follow-url' }, 'Where they serve their feed'), u),
        el(
          'div',
          { class: 'actions' },
          el('a', { href: '/friends', class: 'button' }, 'Not now'),
          el('button', { type: 'submit', class: 'primary' }, `Follow ${friend.name}`),
        ),
      ),
    )
  }

  main.append(
    el('h1', {}, 'Add a friend'),
    el(
      'form',
      { class: 'compose-box', onsubmit: preview },
      el('p', { class: 'hint' }, 'One of these is enough.'),
      el('div', { class: 'field' }, el('label', { for: 'key-url' }, 'Their feed address'), url),
      el('div', { class: 'field' }, el('label', { for: 'key-file' }, 'Or their key file'), file),
      el('div', { class: 'field' }, el('label', { for: 'key-text' }, 'Or paste their key'), pasted),
      problem,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Show their key')),
    ),
    step2,
  )
  url.focus()
}
