// Bench child, plain JavaScript so that it starts as fast as node can: Eleventy by itself, one minimal paginated
// template over the posts in a JSON file, written to disk. The anchor of `peerfeed build`'s full build.
import fs from 'node:fs/promises'
import path from 'node:path'
import { Eleventy } from '@11ty/eleventy'

const [postsFile, dir] = process.argv.slice(2)
const posts = JSON.parse(await fs.readFile(postsFile, 'utf8'))
const input = path.join(dir, 'minimal')
await fs.mkdir(input, { recursive: true })
await fs.writeFile(
  path.join(input, 'post.njk'),
  [
    '---',
    'pagination:',
    '  data: posts',
    '  size: 1',
    '  alias: p',
    'permalink: "posts/{{ p.stem }}/index.html"',
    '---',
    '<!doctype html><title>{{ p.data.type }}</title><h1>{{ p.data.published }}</h1><p>{{ p.data.text }}</p>',
    '',
  ].join('\n'),
)
const elev = new Eleventy(input, path.join(dir, 'minimal-out'), {
  quietMode: true,
  configPath: null,
  config: (cfg) => {
    cfg.addGlobalData('posts', posts)
    cfg.setUseGitIgnore(false)
  },
})
elev.logger.overrideLogger({ log() {}, info() {}, warn: console.warn, error: console.error })
await elev.write()
