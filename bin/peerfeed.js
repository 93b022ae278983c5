#!/usr/bin/env node
// Entry point: runs the compiled CLI in lib/ (made by `npm install`'s prepare step, or `npm run compile`).
import fs from 'node:fs'

const main = new URL('../lib/cli/main.js', import.meta.url)
if (!fs.existsSync(main)) {
  console.error('peerfeed: the compiled program (lib/) is missing; run `npm install` or `npm run compile` in the PeerFeed folder.')
  process.exit(1)
}
await import(main.href)
