// Friends: everyone with their fingerprint, groups, following and last sync; `Sync now` with progress per friend;
// follow, block and unblock (with a sentence of what blocking does); links to add a friend, groups and my key.
import { api } from '../api.js'
import { el, fullDate, shortWhen } from '../format.js'
import { icon } from '../icons.js'
import { on } from '../live.js'

export const title = 'Friends'

function lastSync(s) {
  if (!s) return 'never synced on this device'
  const when = el('time', { datetime: s.at, title: fullDate(s.at) }, shortWhen(s.at))
  if (s.ok) return el('span', {}, 'synced ', when, ` · ${s.posts} post${s.posts === 1 ? '' : 's'} came`)
  return el(
    'span',
    { class: 'problem' },
    'failed ',
    when,
    `: ${s.error}`,
    s.lastOk ? el('span', { class: 'hint' }, ` (last worked ${shortWhen(s.lastOk)})`) : '',
  )
}

function progressLine(p) {
  const label =
    p.state === 'ok'
      ? `done: ${p.new ?? 0} new, ${p.updated ?? 0} updated${p.deleted ? `, ${p.deleted} deleted` : ''}`
      : p.state === 'failed'
        ? `failed: ${p.error}`
        : p.state === 'running'
          ? `syncing${p.via ? ` (${p.via})` : ''}…`
          : 'waiting…'
  return el('li', { class: `progress ${p.state}`, dataset: { name: p.name } }, el('strong', {}, p.name), ' ', el('span', {}, label))
}

export function render({ main, say }) {
  const list = el('ul', { class: 'friends', 'aria-label': 'Friends' })
  const progress = el('ul', { class: 'sync-progress', 'aria-label': 'Sync progress', 'aria-live': 'polite' })
  const syncState = el('p', { class: 'hint', id: 'sync-state' })
  const syncBtn = el('button', { type: 'button', class: 'primary', onclick: syncNow }, icon('sync'), ' Sync now')
  let blocking = ''

  async function syncNow() {
    syncBtn.disabled = true
    try {
      showSync((await api('/api/sync', { method: 'POST', body: {} })).sync)
    } catch (e) {
      say(e.message)
      syncBtn.disabled = false
    }
  }

  // the newest state shown: a fetched state older than an event already shown is dropped (a `Sync now` answer
  // can arrive after the first friends' progress came over the event stream)
  let seq = -1
  function showSync(s) {
    if (!s || (s.seq ?? 0) < seq) return
    seq = s.seq ?? seq
    syncBtn.disabled = s.running
    progress.replaceChildren(...s.friends.map(progressLine))
    syncState.textContent = s.running
      ? 'Syncing with your friends…'
      : s.error
        ? `Sync failed: ${s.error}`
        : s.endedAt
          ? `Last sync finished ${shortWhen(s.endedAt)}.${s.nextAt ? ` Next one ${new Date(s.nextAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.` : ''}`
          : s.nextAt
            ? `Friends are synced in the background; next ${new Date(s.nextAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`
            : ''
  }

  function friendItem(f) {
    const act = async (path, done) => {
      try {
        await api(`/api/friends/${encodeURIComponent(f.name)}/${path}`, { method: 'POST', body: {} })
        say(done)
        load()
      } catch (e) {
        say(e.message)
      }
    }
    const blockNote = el('p', { class: 'hint', id: `block-${f.name}` }, blocking)
    return el(
      'li',
      { class: `friend${f.blocked ? ' blocked' : ''}` },
      el(
        'div',
        { class: 'friend-head' },
        el('a', { class: 'who', href: `/friend/${encodeURIComponent(f.name)}` }, f.name),
        f.keyName && f.keyName !== f.name ? el('span', { class: 'hint' }, ` ${f.keyName}`) : '',
        f.blocked ? el('span', { class: 'tag-blocked' }, 'blocked') : '',
      ),
      el(
        'dl',
        { class: 'facts' },
        el('div', {}, el('dt', {}, 'Fingerprint'), el('dd', { class: 'fingerprint' }, f.formatted ?? f.problem ?? 'no key')),
        el('div', {}, el('dt', {}, 'Groups'), el('dd', {}, f.groups.length ? f.groups.join(', ') : 'none')),
        el(
          'div',
          {},
          el('dt', {}, 'Following'),
          el('dd', {}, f.following ? `yes${f.url ? ` — ${f.url}` : ' (found by key on the LAN or the DHT)'}` : 'no'),
        ),
        el('div', {}, el('dt', {}, 'Last sync'), el('dd', { class: 'last-sync' }, lastSync(f.lastSync))),
      ),
      el(
        'div',
        { class: 'actions' },
        f.friend && !f.following
          ? el('button', { type: 'button', onclick: () => act('follow', `Following ${f.name}.`) }, `Follow ${f.name}`)
          : '',
        f.blocked
          ? el('button', { type: 'button', onclick: () => act('unblock', `Unblocked ${f.name}.`) }, `Unblock ${f.name}`)
          : el(
              'button',
              { type: 'button', class: 'danger', 'aria-describedby': `block-${f.name}`, onclick: () => act('block', `Blocked ${f.name}.`) },
              `Block ${f.name}`,
            ),
      ),
      f.blocked ? '' : blockNote,
    )
  }

  async function load() {
    try {
      const res = await api('/api/friends')
      blocking = res.blocking
      list.replaceChildren(
        ...(res.friends.length
          ? res.friends.map(friendItem)
          : [el('li', { class: 'empty' }, 'No friends yet. Add one with their feed address or key.')]),
      )
      showSync(res.sync)
    } catch (e) {
      say(e.message)
    }
  }

  main.append(
    el('h1', {}, 'Friends'),
    el(
      'nav',
      { class: 'subnav', 'aria-label': 'Friends and groups' },
      el('a', { href: '/friends/add' }, 'Add a friend'),
      el('a', { href: '/groups' }, 'Groups'),
      el('a', { href: '/me' }, 'My key'),
      el('a', { href: '/devices' }, 'Devices'),
    ),
    el('section', { class: 'sync-box', 'aria-labelledby': 'sync-h' }, el('h2', { id: 'sync-h' }, 'Syncing'), syncBtn, syncState, progress),
    list,
  )
  load()
  const offs = [
    on('sync', (m) => {
      if (m.type === 'friend') {
        if (m.seq <= seq) return
        seq = m.seq
        const old = progress.querySelector(`li[data-name="${CSS.escape(m.friend.name)}"]`)
        const line = progressLine(m.friend)
        old ? old.replaceWith(line) : progress.append(line)
        syncBtn.disabled = true
        syncState.textContent = 'Syncing with your friends…'
      } else if (m.type === 'done') {
        showSync(m.view)
        load()
      } else if (m.view) showSync(m.view)
    }),
  ]
  return () => {
    for (const f of offs) f()
  }
}
