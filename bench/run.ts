// `npm run bench`: runs every benchmark in turn (or those named: `npm run bench -- load crypto`).
const ALL = [
  'cli',
  'load',
  'crypto',
  'build',
  'exchange',
  'updates-stages',
  'discovery',
  'app',
  'app-sync',
  'devices',
  'rotation',
  'name-boxes',
  'bombs',
]
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL
for (const name of chosen) {
  const mod = await import(`./${name}.ts`).catch((e) => {
    console.log(`${name}: not available (${e.message.split('\n')[0]})`)
    return null
  })
  if (mod) {
    await mod.run()
    console.log()
  }
}
