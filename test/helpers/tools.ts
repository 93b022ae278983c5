// Tests that need a system tool (gpg, chromium, network namespaces) skip with a reason when it is missing,
// and fail instead under PEERFEED_REQUIRE_ALL=1 (CI), so CI always runs everything.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import type { Test } from 'uvu'

export interface Need {
  ok: boolean
  why?: string
}

const cache = new Map<string, Need>()

function probe(name: string, fn: () => Need): Need {
  if (!cache.has(name)) {
    try {
      cache.set(name, fn())
    } catch (e) {
      cache.set(name, { ok: false, why: `${name}: ${(e as Error).message.split('\n')[0]}` })
    }
  }
  return cache.get(name)!
}

export const CHROMIUM = process.env.PEERFEED_CHROMIUM ?? '/usr/bin/chromium'

export const need = {
  gpg: () =>
    probe('gpg', () => {
      execFileSync('gpg', ['--version'], { stdio: 'ignore' })
      return { ok: true }
    }),
  chromium: () =>
    probe('chromium', () =>
      fs.existsSync(CHROMIUM) ? { ok: true } : { ok: false, why: `chromium not found at ${CHROMIUM} (apt-get install chromium)` },
    ),
  netns: () =>
    probe('netns', () => {
      const ns = `pfprobe${process.pid}`
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'ignore' })
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
      return { ok: true }
    }),
}

/**
 * `const t = testIf(test, need.gpg())` then `t('name', fn)`: runs when the tool is there; otherwise
 * a uvu skip with the reason printed, or, under PEERFEED_REQUIRE_ALL=1, a failing test.
 */
export function testIf(suite: Test, n: Need) {
  return (name: string, fn: () => unknown) => {
    if (n.ok) return suite(name, fn as never)
    if (process.env.PEERFEED_REQUIRE_ALL === '1') {
      return suite(name, () => {
        throw new Error(`required tool missing: ${n.why}`)
      })
    }
    console.log(`  skipped "${name}": ${n.why}`)
    return suite.skip(name, fn as never)
  }
}
