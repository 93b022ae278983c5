// Devices: pair a phone (QR code and short link holding a one-time token), see paired devices and when each was last
// used, revoke one (its session stops working at once).
import { api } from '../api.js'
import { el, fullDate, shortWhen } from '../format.js'

export const title = 'Devices'

export function render({ main, say }) {
  const list = el('ul', { class: 'devices', 'aria-label': 'Paired devices' })
  const pairing = el('section', { 'aria-live': 'polite', id: 'pairing' })
  const name = el('input', { type: 'text', id: 'device-name', value: 'My phone', autocomplete: 'off' })

  async function load() {
    try {
      const res = await api('/api/devices')
      if (!res.lan) {
        form.replaceChildren(
          el(
            'p',
            {},
            'To use PeerFeed on your phone, restart the app with ',
            el('code', {}, 'peerfeed app --lan'),
            ': it then also serves on your home network, and you pair the phone here.',
          ),
        )
      }
      list.replaceChildren(
        ...(res.devices.length
          ? res.devices.map((d) =>
              el(
                'li',
                { class: 'device' },
                el(
                  'div',
                  {},
                  el('strong', {}, d.name),
                  el('br'),
                  el(
                    'span',
                    { class: 'hint' },
                    'paired ',
                    el('time', { datetime: d.paired, title: fullDate(d.paired) }, shortWhen(d.paired)),
                    ' · last used ',
                    d.lastUsed ? el('time', { datetime: d.lastUsed, title: fullDate(d.lastUsed) }, shortWhen(d.lastUsed)) : 'never',
                  ),
                ),
                el(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    onclick: async () => {
                      try {
                        await api(`/api/devices/${encodeURIComponent(d.id)}`, { method: 'DELETE' })
                        say(`${d.name} can no longer use PeerFeed.`)
                        load()
                      } catch (e) {
                        say(e.message)
                      }
                    },
                  },
                  `Revoke ${d.name}`,
                ),
              ),
            )
          : [el('li', { class: 'empty' }, 'No paired devices.')]),
      )
    } catch (e) {
      form.replaceChildren(el('p', {}, e.message))
      list.replaceChildren()
    }
  }

  const form = el(
    'form',
    {
      class: 'compose-box',
      onsubmit: async (e) => {
        e.preventDefault()
        try {
          const p = await api('/api/devices/pairing', { method: 'POST', body: { name: name.value } })
          pairing.replaceChildren(
            el(
              'div',
              { class: 'confirm' },
              el('h2', {}, `Pair ${p.name}`),
              el('p', {}, "Scan this with the phone's camera (the phone must be on the same network). It works once, for ten minutes."),
              el(
                'figure',
                { class: 'qr-box' },
                el('img', {
                  class: 'qr',
                  alt: `QR code of the pairing link ${p.url}`,
                  src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.qrSvg)}`,
                  width: 240,
                  height: 240,
                }),
              ),
              el('p', {}, 'Or open this short link on the phone: ', el('a', { href: p.shortUrl, class: 'short-link' }, p.shortUrl)),
              el('p', { class: 'hint' }, 'Anyone who opens it first gets in: show it only to your own device.'),
            ),
          )
          load()
        } catch (err) {
          say(err.message)
        }
      },
    },
    el('div', { class: 'field' }, el('label', { for: 'device-name' }, 'Device name'), name),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Pair a device')),
  )

  main.append(
    el('h1', {}, 'Devices'),
    el(
      'p',
      { class: 'hint' },
      'Use PeerFeed on your phone through this computer, over your home network. Pair each device once; revoke it when you lose it.',
    ),
    form,
    pairing,
    el('h2', {}, 'Paired devices'),
    list,
  )
  load()
}
