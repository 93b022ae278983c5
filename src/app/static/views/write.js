// Write: the composer on a page of its own (the phone's "Write" tab).
import { el } from '../format.js'
import { composer } from '../parts/composer.js'

export const title = 'Write'

export function render({ me, main, say, go }) {
  main.append(
    el('h1', {}, 'Write'),
    el(
      'section',
      { class: 'compose-box' },
      composer({
        me,
        onPosted: () => {
          say('Posted.')
          go('/')
        },
      }),
    ),
  )
}
