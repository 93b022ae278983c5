// The composer: one form for every post type (status, picture, link, location, event, activity), with the audience
// picker; problems the server finds are shown beside their field. Also used to edit my posts.
import { api, ApiError } from '../api.js'
import { el } from '../format.js'
import { audiencePicker } from './audience.js'

const TYPES = [
  ['status', 'Text'],
  ['image', 'Picture'],
  ['link', 'Link'],
  ['location', 'Place'],
  ['event', 'Event'],
  ['activity', 'Activity'],
]
let serial = 0

/** A field: label, input, and a place for its problem. `name` is the post field the server names in problems. */
function field(name, label, input, { hint, types } = {}) {
  const id = `f${++serial}-${name}`
  input.id = id
  input.name = name
  const err = el('span', { class: 'problem', id: `${id}-err`, hidden: true })
  const help = hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : null
  input.setAttribute('aria-describedby', [help && `${id}-hint`, `${id}-err`].filter(Boolean).join(' '))
  const node = el(
    'div',
    { class: 'field', dataset: { field: name, types: (types ?? []).join(' ') } },
    el('label', { for: id }, label),
    input,
    help,
    err,
  )
  return { node, input, err }
}

const localIso = (v) => {
  // datetime-local "2026-12-24T18:00" → ISO with this computer's offset
  if (!v) return undefined
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) return v
  const off = -d.getTimezoneOffset()
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0')
  return `${v.length === 16 ? `${v}:00` : v}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`
}
const toLocalInput = (iso) => {
  if (!iso) return ''
  const d = new Date(iso)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

/**
 * composer({ me, onPosted }) for a new post; composer({ me, edit: entry, onPosted, onCancel }) to edit one of mine.
 * Returns the form element.
 */
export function composer({ me, edit, onPosted, onCancel }) {
  const type = { value: edit?.type ?? 'status' }
  const d = edit?.data ?? {}
  const form = el('form', { class: 'composer', novalidate: true, 'aria-label': edit ? 'Edit post' : 'New post' })
  const fields = {}
  const add = (name, label, input, opts) => {
    fields[name] = field(name, label, input, opts)
    return fields[name].node
  }

  const typePicker = edit
    ? null
    : el(
        'fieldset',
        { class: 'types' },
        el('legend', { class: 'sr-only' }, 'Post type'),
        TYPES.map(([t, label]) =>
          el(
            'label',
            { class: 'type' },
            el('input', {
              type: 'radio',
              name: 'type',
              value: t,
              checked: t === type.value,
              onchange: () => {
                type.value = t
                show()
              },
            }),
            el('span', {}, label),
          ),
        ),
      )

  const text = el('textarea', { rows: 3, placeholder: "What's happening?" }, d.text ?? '')
  const textField = add('text', edit ? 'Text' : 'Write a post', text)
  if (!edit) fields.text.node.querySelector('label').classList.add('sr-only')

  const files = el('input', { type: 'file', accept: 'image/jpeg,image/png,image/gif,image/webp,image/avif', multiple: true })
  const previews = el('div', { class: 'previews' })
  const uploads = [] // { upload, url, alt input }
  files.addEventListener('change', async () => {
    for (const f of files.files) {
      const i = uploads.length
      const alt = el('input', { type: 'text', required: true, id: `f${++serial}-alt-${i}` })
      const err = el('span', { class: 'problem', hidden: true, dataset: { field: `alt-${i}` } })
      const u = { upload: undefined, alt, err, file: f }
      uploads.push(u)
      const url = URL.createObjectURL(f)
      previews.append(
        el(
          'figure',
          { class: 'preview' },
          el('img', { src: url, alt: '' }),
          el('figcaption', {}, el('label', { for: alt.id }, `Describe picture ${i + 1}`), alt, err),
        ),
      )
      try {
        u.upload = (await api('/api/uploads', { method: 'POST', raw: f, type: f.type })).upload
      } catch (e) {
        err.hidden = false
        err.textContent = e.message
      }
    }
    files.value = ''
  })
  const editAlts = (edit?.images ?? []).map((im, i) => {
    const alt = el('input', { type: 'text', required: true, value: im.alt, id: `f${++serial}-alt-${i}` })
    const err = el('span', { class: 'problem', hidden: true, dataset: { field: `alt-${i}` } })
    previews.append(
      el(
        'figure',
        { class: 'preview' },
        el('img', { src: im.src, alt: '' }),
        el('figcaption', {}, el('label', { for: alt.id }, `Describe picture ${i + 1}`), alt, err),
      ),
    )
    return { alt, err }
  })

  const typed = [
    !edit ? add('images', 'Pictures', files, { types: ['image'], hint: 'JPEG, PNG, GIF, WebP or AVIF; each needs a description' }) : null,
    previews,
    add('url', 'Address', el('input', { type: 'url', placeholder: 'https://', value: d.url ?? '' }), { types: ['link'] }),
    add('title', 'Page title', el('input', { type: 'text', value: d.title ?? '' }), { types: ['link'] }),
    add('place', 'Place name', el('input', { type: 'text', value: d.place ?? '' }), { types: ['location'] }),
    el(
      'div',
      { class: 'row', dataset: { types: 'location' } },
      add('lat', 'Latitude', el('input', { type: 'text', inputmode: 'decimal', value: d.lat ?? '' }), { types: ['location'] }),
      add('lon', 'Longitude', el('input', { type: 'text', inputmode: 'decimal', value: d.lon ?? '' }), { types: ['location'] }),
    ),
    navigator.geolocation
      ? el('button', { type: 'button', class: 'quiet', dataset: { types: 'location' }, onclick: locate }, 'Use my location')
      : null,
    add('name', 'Event name', el('input', { type: 'text', value: d.name ?? '' }), { types: ['event'] }),
    el(
      'div',
      { class: 'row', dataset: { types: 'event' } },
      add('start', 'Starts', el('input', { type: 'datetime-local', value: toLocalInput(d.start) }), { types: ['event'] }),
      add('end', 'Ends', el('input', { type: 'datetime-local', value: toLocalInput(d.end) }), { types: ['event'] }),
    ),
    add('location', 'Where', el('input', { type: 'text', value: d.location ?? '' }), { types: ['event'] }),
    add(
      'activity',
      'Kind of activity',
      el('input', { type: 'text', list: 'activities', value: d.activity ?? '', placeholder: 'run, ride, walk, hike, swim…' }),
      { types: ['activity'] },
    ),
    el(
      'datalist',
      { id: 'activities' },
      ['run', 'ride', 'walk', 'hike', 'swim', 'ski', 'row', 'climb'].map((a) => el('option', { value: a })),
    ),
    el(
      'div',
      { class: 'row', dataset: { types: 'activity' } },
      add('distanceKm', 'Distance (km)', el('input', { type: 'text', inputmode: 'decimal', value: d.distanceKm ?? '' }), {
        types: ['activity'],
      }),
      add('duration', 'Time (h:mm)', el('input', { type: 'text', placeholder: '0:45', value: fromIsoDuration(d.duration) }), {
        types: ['activity'],
      }),
      add('elevationM', 'Climb (m)', el('input', { type: 'text', inputmode: 'decimal', value: d.elevationM ?? '' }), {
        types: ['activity'],
      }),
    ),
  ]
  const tags = add('tags', 'Tags', el('input', { type: 'text', placeholder: 'garden, snow', value: (d.tags ?? []).join(', ') }), {
    hint: 'separate with commas or spaces',
  })
  const audience = audiencePicker(me, edit ? edit.audience.to : ['public'])
  fields.to = { node: audience.node, input: audience.select, err: el('span', { class: 'problem', hidden: true }) }
  audience.node.append(fields.to.err)

  const general = el('p', { class: 'problem', role: 'alert', hidden: true })
  const submit = el('button', { type: 'submit', class: 'primary' }, edit ? 'Save' : 'Post')
  const more = el('div', { class: 'row more' }, tags, audience.node)
  form.append(
    typePicker ?? '',
    textField,
    ...typed.filter(Boolean),
    more,
    general,
    el(
      'div',
      { class: 'actions' },
      edit ? el('button', { type: 'button', class: 'quiet', onclick: () => onCancel?.() }, 'Cancel') : '',
      submit,
    ),
  )

  function show() {
    for (const n of form.querySelectorAll('[data-types]')) {
      const ts = n.dataset.types.split(' ').filter(Boolean)
      if (ts.length) n.hidden = !ts.includes(type.value)
    }
    previews.hidden = type.value !== 'image'
    text.placeholder = {
      status: "What's happening?",
      image: 'Say something about the pictures (optional)',
      link: 'Why is it worth reading? (optional)',
      location: 'What is here? (optional)',
      event: 'Details (optional)',
      activity: 'How did it go? (optional)',
    }[type.value]
  }
  show()
  // Ctrl+Enter (⌘+Enter) posts from anywhere in the form, as in most social apps
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      form.requestSubmit()
    }
  })

  function locate() {
    navigator.geolocation.getCurrentPosition(
      (p) => {
        fields.lat.input.value = p.coords.latitude.toFixed(5)
        fields.lon.input.value = p.coords.longitude.toFixed(5)
      },
      (e) => problem('lat', `your location is not available: ${e.message}`),
    )
  }

  function clearProblems() {
    general.hidden = true
    for (const n of form.querySelectorAll('.problem')) {
      n.hidden = true
      n.textContent = ''
    }
    for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid')
  }
  function problem(name, message) {
    const alt = /^alt-(\d+)$/.exec(name)
    const target = alt ? (edit ? editAlts : uploads)[Number(alt[1])] : fields[name === 'distance' ? 'distanceKm' : name]
    if (target) {
      target.err.hidden = false
      target.err.textContent = message
      ;(target.input ?? target.alt).setAttribute('aria-invalid', 'true')
      return target.input ?? target.alt
    }
    general.hidden = false
    general.textContent = general.textContent ? `${general.textContent} ${message}` : message
    return undefined
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    clearProblems()
    const v = (n) => fields[n]?.input.value ?? ''
    const body = {
      type: type.value,
      text: text.value,
      to: audience.value(),
      tags: v('tags'),
    }
    const per =
      {
        link: ['url', 'title'],
        location: ['lat', 'lon', 'place'],
        event: ['name', 'location'],
        activity: ['activity', 'distanceKm', 'elevationM'],
      }[type.value] ?? []
    for (const n of per) body[n] = v(n)
    if (type.value === 'event') {
      body.start = localIso(v('start'))
      body.end = localIso(v('end'))
    }
    if (type.value === 'activity') body.duration = toIsoDuration(v('duration'))
    if (type.value === 'image' && !edit) {
      if (uploads.some((u) => !u.upload)) return void problem('images', 'a picture is still uploading or failed; wait or add it again')
      body.images = uploads.map((u) => ({ upload: u.upload, alt: u.alt.value }))
    }
    if (edit) body.alts = editAlts.map((a) => a.alt.value)
    submit.disabled = true
    try {
      const res = await api(edit ? `/api/posts/${encodeURIComponent(edit.stem)}` : '/api/posts', { method: edit ? 'PUT' : 'POST', body })
      if (!edit) reset()
      onPosted?.(res.entry)
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length) {
        let first
        for (const [name, msg] of Object.entries(e.fields)) first ??= problem(name, msg)
        first?.focus()
      } else problem('post', e.message)
    } finally {
      submit.disabled = false
    }
  })

  function reset() {
    form.reset()
    uploads.length = 0
    previews.replaceChildren()
    audience.set(['public'])
    show()
  }
  return form
}

/** "1:05" or "45" (minutes) or "1:05:30" → PT1H5M / PT45M / PT1H5M30S; anything else is passed on for the schema. */
export function toIsoDuration(v) {
  const s = v.trim()
  if (!s) return undefined
  if (/^P/i.test(s)) return s.toUpperCase()
  const parts = s.split(':').map((x) => x.trim())
  if (!parts.every((p) => /^\d+$/.test(p))) return s
  const [h, m, sec] =
    parts.length === 1 ? [0, Number(parts[0]), 0] : parts.length === 2 ? [Number(parts[0]), Number(parts[1]), 0] : parts.map(Number)
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec ? `${sec}S` : ''}`.replace(/^PT$/, 'PT0M')
}

function fromIsoDuration(d) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(d ?? '')
  if (!m) return d ?? ''
  const [, h = '0', min = '0', s] = m
  return `${h}:${min.padStart(2, '0')}${s ? `:${s.padStart(2, '0')}` : ''}`
}
