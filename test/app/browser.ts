// Chromium for the app's tests: one browser per test file, a fresh context per login, and axe-core checks.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROMIUM } from '../helpers/tools.ts'
import { REPO } from '../helpers/index.ts'

export const launch = async (): Promise<Browser> => {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
}

/** A logged-in page: a new context (its own cookies) that opened the one-time link. */
export async function loggedIn(
  browser: Browser,
  loginUrl: string,
  opts: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only so the test can inject axe-core; the app's own pages never need it
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    colorScheme: opts.colorScheme,
  })
  context.setDefaultTimeout(20_000)
  const page = await context.newPage()
  await page.goto(loginUrl)
  await page.locator('#view > *').first().waitFor()
  return { context, page }
}

const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8')

/** Serious and critical axe-core violations on the page as it is now, one line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE })
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
    }))
  })
  return result
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; help: string; nodes: string[] }) => `${v.id}: ${v.help} (${v.nodes.join(', ')})`)
}
