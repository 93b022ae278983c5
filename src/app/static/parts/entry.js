// One timeline entry: author, time, audience, the post as its type shows it, likes, and Reply / Like (Edit / Delete
// for my own); its replies threaded beneath. Re-rendered in place when the post changes.
import { api } from '../api.js'
import { el, fullDate, postPath, readableDuration, richText, shortWhen } from '../format.js'
import { audiencePicker } from './audience.js'
import { composer } from './composer.js'
import { icon } from '../icons.js'

const hue = (s) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 12, 7)

function avatar(name) {
  return el('span', { class: `avatar h${hue(name)}`, 'aria-hidden': 'true' }, (name.trim()[0] ?? '?').toUpperCase())
}

function header(v) {
  const who = v.mine
    ? el('span', { class: 'who' }, v.author.name)
    : el('a', { class: 'who', href: `/friend/${encodeURIComponent(v.author.handle)}` }, v.author.name)
  const badge = el(
    'span',
    {
      class: `audience ${v.audience.kind}`,
      title: v.audience.kind === 'public' ? 'Everyone can see this' : 'Private: only the people it was sent to (encrypted)',
    },
    icon(v.audience.kind === 'public' ? 'globe' : 'lock', { size: 14 }),
    v.audience.label,
  )
  const when = el(
    'a',
    { class: 'when', href: postPath(v.id), 'data-full': fullDate(v.published) },
    el('time', { datetime: v.published, 'data-relative': true, title: fullDate(v.published) }, shortWhen(v.published)),
    el('span', { class: 'sr-only' }, `, ${fullDate(v.published)}`),
    v.updated ? el('span', { class: 'edited' }, ' · edited') : '',
  )
  return el('header', {}, avatar(v.author.name), el('div', { class: 'meta' }, who, el('span', { class: 'sub' }, badge, when)))
}

function card(v) {
  const d = v.data
  switch (v.type) {
    case 'image':
      return el(
        'div',
        { class: `gallery n${Math.min(v.images.length, 4)}` },
        v.images.map((im) => el('a', { href: im.src, target: '_blank' }, el('img', { src: im.src, alt: im.alt, loading: 'lazy' }))),
      )
    case 'link': {
      let host = d.url
      try {
        host = new URL(d.url).hostname
      } catch {
        /* shown as written */
      }
      const safe = /^https?:\/\//i.test(d.url)
      return el(
        'div',
        { class: 'card link-card' },
        safe
          ? el(
              'a',
              { href: d.url, rel: 'noopener noreferrer nofollow', target: '_blank' },
              el('strong', {}, d.title ?? d.url),
              el('span', { class: 'host' }, host),
            )
          : el('span', {}, el('strong', {}, d.title ?? ''), el('span', { class: 'host' }, d.url)),
      )
    }
    case 'location': {
      const map = `https://www.openstreetmap.org/?mlat=${d.lat}&mlon=${d.lon}#map=15/${d.lat}/${d.lon}`
      return el(
        'div',
        { class: 'card location-card' },
        icon('pin', { size: 22 }),
        el(
          'div',
          {},
          el('strong', {}, d.place ?? 'A place'),
          el('span', { class: 'sub' }, `${Number(d.lat).toFixed(4)}, ${Number(d.lon).toFixed(4)}`),
          el('a', { class: 'map-link', href: map, rel: 'noopener noreferrer', target: '_blank' }, 'Open map'),
        ),
      )
    }
    case 'event': {
      const fmt = new Intl.DateTimeFormat(undefined, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
      const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
      const sameDay = d.end && new Date(d.start).toDateString() === new Date(d.end).toDateString()
      return el(
        'div',
        { class: 'card event-card' },
        icon('calendar', { size: 22 }),
        el(
          'div',
          {},
          el('strong', {}, d.name ?? 'Event'),
          el(
            'span',
            { class: 'sub' },
            el('time', { datetime: d.start }, fmt.format(new Date(d.start))),
            d.end ? [' – ', el('time', { datetime: d.end }, (sameDay ? time : fmt).format(new Date(d.end)))] : '',
          ),
          d.location ? el('span', { class: 'sub' }, d.location) : '',
        ),
      )
    }
    case 'activity': {
      const figs = [
        d.distanceKm !== undefined && ['Distance', `${d.distanceKm} km`],
        d.duration && ['Time', readableDuration(d.duration)],
        d.elevationM !== undefined && ['Climb', `${d.elevationM} m`],
      ].filter(Boolean)
      return el(
        'div',
        { class: 'card activity-card' },
        icon('activity', { size: 22 }),
        el(
          'div',
          {},
          el('strong', {}, d.activity[0].toUpperCase() + d.activity.slice(1)),
          figs.length
            ? el(
                'dl',
                {},
                figs.map(([k, val]) => el('div', {}, el('dt', {}, k), el('dd', {}, val))),
              )
            : '',
        ),
      )
    }
    default:
      return ''
  }
}

function context(v, nested) {
  if (v.inReplyTo && !nested) {
    const r = v.inReplyTo
    return el(
      'p',
      { class: 'context' },
      icon('reply', { size: 14 }),
      ' replying to ',
      el('a', { href: postPath(r.id) }, `${r.author}${r.excerpt ? `: “${r.excerpt}”` : '’s post'}`),
    )
  }
  if (v.likedPost) {
    const r = v.likedPost
    return el(
      'p',
      { class: 'context' },
      icon('heart', { size: 14, filled: true }),
      ' liked ',
      el('a', { href: postPath(r.id) }, `${r.author}${r.excerpt ? `: “${r.excerpt}”` : '’s post'}`),
    )
  }
  return ''
}

/** renderEntry(view, { me, nested, onChange }) → <article>. */
export function renderEntry(v, opts) {
  const { me, nested = false } = opts
  const art = el('article', {
    class: `entry type-${v.type}${v.mine ? ' mine' : ''}`,
    dataset: { id: v.id, likes: v.likes.map((l) => l.id).join(' ') },
    'aria-label': `${v.author.name}, ${shortWhen(v.published)}`,
  })
  const likeLabel = v.likes.length ? `${v.likes.length}` : ''
  const liked = Boolean(v.myLike)
  const slot = el('div', { class: 'slot' })
  const likeBtn = el(
    'button',
    { type: 'button', class: `act like${liked ? ' on' : ''}`, 'aria-pressed': String(liked), 'aria-label': 'Like', onclick: like },
    icon('heart', { filled: liked }),
    el('span', { class: 'count', 'aria-hidden': 'true' }, likeLabel),
  )
  const replyBtn = el(
    'button',
    { type: 'button', class: 'act reply', 'aria-expanded': 'false', 'aria-label': 'Reply', onclick: reply },
    icon('reply'),
    el('span', { class: 'count', 'aria-hidden': 'true' }, v.replyCount ? `${v.replyCount}` : ''),
  )
  const own =
    v.mine && v.type !== 'like'
      ? [
          el('button', { type: 'button', class: 'act quiet', onclick: editIt }, 'Edit'),
          el('button', { type: 'button', class: 'act quiet danger', onclick: deleteIt }, 'Delete'),
        ]
      : []
  const body = el(
    'div',
    { class: 'body' },
    context(v, nested),
    v.data.text ? el('div', { class: 'text' }, richText(v.data.text)) : '',
    card(v),
    v.files.length
      ? el(
          'ul',
          { class: 'files' },
          v.files.map((f) => el('li', {}, el('a', { href: f.src }, icon('clip', { size: 14 }), ` ${f.name}`))),
        )
      : '',
    v.data.tags?.length
      ? el(
          'p',
          { class: 'tags' },
          v.data.tags.map((t) => el('a', { class: 'tag', href: `/search?q=${encodeURIComponent(`#${t}`)}` }, `#${t}`)),
        )
      : '',
    v.likes.length
      ? el('p', { class: 'likes' }, icon('heart', { size: 14, filled: true }), ` Liked by ${v.likes.map((l) => l.name).join(', ')}`)
      : '',
  )
  art.append(header(v), body, v.type === 'like' ? '' : el('footer', { class: 'actions-bar' }, replyBtn, likeBtn, ...own), slot)
  if (v.replies?.length)
    art.append(
      el(
        'ol',
        { class: 'thread', 'aria-label': `Replies to ${v.author.name}` },
        v.replies.map((r) => el('li', {}, renderEntry(r, { ...opts, nested: true }))),
      ),
    )

  async function like() {
    likeBtn.disabled = true
    try {
      if (v.myLike) await api(`/api/posts/${encodeURIComponent(v.myLike.split('/')[1])}`, { method: 'DELETE' })
      else await api('/api/posts', { method: 'POST', body: { type: 'like', object: v.id } })
      opts.onChange?.(v.id)
    } catch (e) {
      opts.say?.(e.message)
    } finally {
      likeBtn.disabled = false
    }
  }

  function reply() {
    if (slot.firstChild) {
      slot.replaceChildren()
      replyBtn.setAttribute('aria-expanded', 'false')
      return
    }
    replyBtn.setAttribute('aria-expanded', 'true')
    const id = `r-${Math.random().toString(36).slice(2)}`
    const text = el('textarea', { id, rows: 2, required: true })
    const err = el('p', { class: 'problem', role: 'alert', hidden: true })
    const picker = audiencePicker(me, v.replyTo)
    const form = el(
      'form',
      { class: 'reply-form', 'aria-label': `Reply to ${v.author.name}` },
      el('label', { for: id }, `Write a reply to ${v.author.name}`),
      text,
      el('div', { class: 'row' }, picker.node),
      err,
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', class: 'quiet', onclick: reply }, 'Cancel'),
        el('button', { type: 'submit', class: 'primary' }, 'Send reply'),
      ),
    )
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault()
      err.hidden = true
      try {
        await api('/api/posts', { method: 'POST', body: { type: 'comment', inReplyTo: v.id, text: text.value, to: picker.value() } })
        slot.replaceChildren()
        replyBtn.setAttribute('aria-expanded', 'false')
        opts.onChange?.(v.id)
      } catch (e) {
        err.hidden = false
        err.textContent = Object.values(e.fields ?? {})[0] ?? e.message
        text.focus()
      }
    })
    slot.replaceChildren(form)
    text.focus()
  }

  function editIt() {
    const form = composer({
      me,
      edit: v,
      onPosted: () => {
        slot.replaceChildren()
        opts.onChange?.(v.id)
      },
      onCancel: () => slot.replaceChildren(),
    })
    slot.replaceChildren(form)
    form.querySelector('textarea')?.focus()
  }

  async function deleteIt() {
    if (!confirm('Delete this post? Friends receive the deletion on their next sync.')) return
    try {
      await api(`/api/posts/${encodeURIComponent(v.stem)}`, { method: 'DELETE' })
      opts.onChange?.(v.id)
    } catch (e) {
      opts.say?.(e.message)
    }
  }
  return art
}
