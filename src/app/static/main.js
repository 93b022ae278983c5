// The app's client: navigation, a small router over views/index.js, the live stream, and a status line.
import { api } from './api.js'
import { el, tickTimes } from './format.js'
import { connect, on } from './live.js'
import { icon } from './icons.js'
import { views } from './views/index.js'
import { notificationBadge } from './parts/badge.js'

const main = document.getElementById('view')
const nav = document.getElementById('nav')
const status = document.getElementById('status')
let me
let cleanup
let statusTimer

function say(message) {
  status.textContent = message
  status.classList.add('show')
  clearTimeout(statusTimer)
  statusTimer = setTimeout(() => status.classList.remove('show'), 4000)
}

function match(pathname) {
  for (const v of views) {
    const want = v.path.split('/').slice(1)
    const have = pathname.split('/').slice(1)
    if (want.length !== have.length) continue
    const params = {}
    if (want.every((w, i) => (w.startsWith(':') ? (params[w.slice(1)] = decodeURIComponent(have[i])) !== '' : w === have[i])))
      return { view: v, params }
  }
  return undefined
}

function go(url, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState']({}, '', url)
  show()
}

async function show() {
  const m = match(location.pathname)
  cleanup?.()
  cleanup = undefined
  main.replaceChildren()
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  if (!m) {
    main.append(el('h1', {}, 'Not found'), el('p', {}, el('a', { href: '/' }, 'Back to your timeline')))
    return
  }
  const mod = await m.view.load()
  document.title = `${mod.title} — PeerFeed`
  cleanup = mod.render({ me, main, say, go, params: m.params }) ?? undefined
  window.scrollTo(0, 0)
}

document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null
  if (!a || a.target || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const url = new URL(a.href, location.href)
  if (url.origin !== location.origin || /^\/(media|static|api)\//.test(url.pathname)) return
  e.preventDefault()
  go(url.pathname + url.search)
  main.focus({ preventScroll: true })
})
window.addEventListener('popstate', show)

me = await api('/api/me')
nav.append(
  ...views
    .filter((v) => v.nav)
    .map((v) =>
      el('a', { href: v.path, class: v.phone ? 'phone-only' : '' }, icon(v.icon, { size: 20 }), el('span', { class: 'label' }, v.nav)),
    ),
)
notificationBadge(nav)
on('build', (b) => {
  if (b.error) say(`Your site and friends' pages could not be updated: ${b.error.split('\n')[0]}`)
})
connect()
setInterval(() => tickTimes(), 30_000)
show()
