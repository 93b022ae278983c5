// A build on a full disk: .peerfeed/cache/ on a tiny tmpfs (a private mount namespace made by `unshare`, gone when
// the command ends). Whatever fails, no temp file stays behind.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BIN, REPO, run } from '../helpers/index.ts'
import { writeTestPost } from '../helpers/feeds.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'
import { testIf, type Need } from '../helpers/tools.ts'

function tmpfsNeed(): Need {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs "$d" && umount "$d" && rmdir "$d"'], {
      stdio: 'ignore',
    })
    return { ok: true }
  } catch (e) {
    return { ok: false, why: `a tmpfs in a private mount namespace (unshare -rm, mount -t tmpfs): ${(e as Error).message.split('\n')[0]}` }
  }
}

const test = suite('build on a full disk')
const t = testIf(test, tmpfsNeed())
let ada: TestFeed

test.before(async () => {
  ada = await makeFeed('ada')
  // enough posts that the parse cache (~400 bytes a post) cannot fit in 32 KiB
  for (let i = 0; i < 300; i++) await writeTestPost(ada, { text: `post number ${i} with a few words in it` })
})
test.after(async () => ada?.close())

/** Runs `peerfeed ARGS` with .peerfeed/cache on a 32 KiB tmpfs; returns its output and what the cache held after. */
async function onFullCache(args: string[]) {
  const cache = path.join(ada.layout.state, 'cache')
  await fs.rm(cache, { recursive: true, force: true })
  await fs.mkdir(cache, { recursive: true })
  const script = 'mount -t tmpfs -o size=32k tmpfs "$1" || exit 99; shift; "$@"; echo "exit=$?"; echo "left:"; ls -A "$0"'
  const r = await run('unshare', ['-rm', 'sh', '-c', script, cache, cache, process.execPath, BIN, ...args], { cwd: ada.layout.root })
  assert.not.match(r.stdout, 'exit=99', 'the tmpfs was mounted')
  return {
    ...r,
    left: r.stdout
      .slice(r.stdout.indexOf('left:') + 5)
      .split('\n')
      .filter(Boolean),
  }
}

t('a check and a build with a full cache folder leave no temp file there', async () => {
  const check = await onFullCache(['check'])
  assert.equal(
    check.left.filter((f) => f.endsWith('.tmp')),
    [],
    `temp files left after check: ${check.left.join(' ')}`,
  )
  assert.match(check.stdout, 'exit=0', `check still works without its cache: ${check.stdout}${check.stderr}`)
  const build = await onFullCache(['build'])
  assert.equal(
    build.left.filter((f) => f.endsWith('.tmp')),
    [],
    `temp files left after build: ${build.left.join(' ')}`,
  )
  assert.match(build.stdout, 'exit=0', `the build still works without its cache: ${build.stdout}${build.stderr}`)
})

t('writeFileAtomic removes its temp file when the disk fills up', async () => {
  const script = `mount -t tmpfs -o size=16k tmpfs "$0" || exit 99
"${process.execPath}" --import tsx -e "
import('./src/fs-atomic.ts').then(({ writeFileAtomic }) => writeFileAtomic(process.argv[1] + '/big.json', 'x'.repeat(200000)))
  .then(() => console.log('wrote'), (e) => console.log('failed', e.code))" "$0"
echo "left:"; ls -A "$0"`
  const dir = path.join(ada.layout.state, 'full')
  await fs.mkdir(dir, { recursive: true })
  const r = await run('unshare', ['-rm', 'sh', '-c', script, dir], { cwd: REPO })
  assert.match(r.stdout, 'failed ENOSPC', r.stdout + r.stderr)
  assert.equal(
    r.stdout
      .slice(r.stdout.indexOf('left:') + 5)
      .split('\n')
      .filter(Boolean),
    [],
  )
})

test.run()
