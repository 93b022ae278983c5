// My key: name, fingerprint in groups of four, the QR code `peerfeed key --qr` shows, and the key as text to copy.
import { api } from '../api.js'
import { el } from '../format.js'

export const title = 'My key'

export function render({ main, say }) {
  main.append(el('h1', {}, 'My key'))
  api('/api/identity').then(
    (me) => {
      const text = el('textarea', { id: 'my-key', readonly: true, rows: 8, class: 'key-text', spellcheck: 'false' }, me.armored)
      const qr = el('img', {
        class: 'qr',
        alt: `QR code of my key: ${me.qr}`,
        src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(me.qrSvg)}`,
        width: 240,
        height: 240,
      })
      main.append(
        el(
          'section',
          { class: 'profile' },
          el(
            'dl',
            { class: 'facts' },
            el('div', {}, el('dt', {}, 'Name'), el('dd', { class: 'my-name' }, me.name)),
            me.email ? el('div', {}, el('dt', {}, 'Email'), el('dd', {}, me.email)) : '',
            el('div', {}, el('dt', {}, 'Fingerprint'), el('dd', { class: 'fingerprint my-fingerprint' }, me.formatted)),
            me.keyUrl ? el('div', {}, el('dt', {}, 'Key address'), el('dd', {}, el('a', { href: me.keyUrl }, me.keyUrl))) : '',
          ),
          el('p', { class: 'hint' }, 'Friends compare this fingerprint with the one their app shows when they add you.'),
          el(
            'figure',
            { class: 'qr-box' },
            qr,
            el('figcaption', { class: 'hint' }, 'Scan to get my fingerprint (and where my key lives).'),
          ),
          el('div', { class: 'field' }, el('label', { for: 'my-key' }, 'My public key, to send to a friend'), text),
          el(
            'div',
            { class: 'actions' },
            el(
              'button',
              {
                type: 'button',
                class: 'primary',
                onclick: async () => {
                  try {
                    await navigator.clipboard.writeText(me.armored)
                    say('Key copied.')
                  } catch {
                    text.select()
                    say('Select all and copy the key above.')
                  }
                },
              },
              'Copy my key',
            ),
          ),
        ),
      )
    },
    (e) => say(e.message),
  )
}
