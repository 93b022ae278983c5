// One Server-Sent Events stream per page: views subscribe to 'posts' (added, edited, deleted) and 'build'.
const listeners = new Map()
let source

export function on(event, fn) {
  if (!listeners.has(event)) {
    listeners.set(event, new Set())
    source?.addEventListener(event, dispatch(event))
  }
  listeners.get(event).add(fn)
  return () => listeners.get(event).delete(fn)
}

const dispatch = (event) => (m) => {
  let data
  try {
    data = JSON.parse(m.data)
  } catch {
    return
  }
  for (const fn of listeners.get(event) ?? []) fn(data)
}

export function connect() {
  source = new EventSource('/api/events')
  for (const event of listeners.keys()) source.addEventListener(event, dispatch(event))
  source.addEventListener('open', () => (document.documentElement.dataset.live = 'on'))
  source.addEventListener('error', () => (document.documentElement.dataset.live = 'off'))
}
