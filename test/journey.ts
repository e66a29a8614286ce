import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'
import { AxeBuilder } from '@axe-core/playwright'
import type { AxeResults, Result as AxeResult, RunOptions } from 'axe-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createApp } from '../src/app'
import { launchChromium } from './chromium'
import { PASSWORD, testServices, type World } from './harness'

/** The rules every page must pass: axe-core's WCAG 2.1 A and AA. */
export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * A journey in real Chromium over a fresh database holding the demo (one establishment, Leeds): the app listening on
 * a free port, and Chromium. Demo sign-ins: keyworker, supervisor, admin, national; password key-work-demo.
 */
export async function demoJourney(demo: { seed: number; prisonersPer: number }) {
  const services = await testServices()
  const loaded = await services.demo.load({ ...demo, establishments: 1, reset: false })
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
  const server = createApp(services).listen(0, '127.0.0.1')
  await new Promise<void>(resolve => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let browser: Browser | undefined
  return {
    services,
    async start() {
      browser = await launchChromium()
    },
    /** A new browser context signed in as a demo user. */
    async signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
      assert.ok(browser, 'Chromium did not start')
      const context = await browser.newContext({ baseURL: base })
      const page = await context.newPage()
      await page.goto('/sign-in')
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password', { exact: true }).fill('key-work-demo')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
      return { context, page }
    },
    async close() {
      await browser?.close()
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
      await services.close()
    },
  }
}

/**
 * A test file's world served on a free port, with Chromium launched before the file's tests (handed to `launched`)
 * and the browser, server and world closed after them. Returns the app's base URL.
 */
export async function servedInChromium(
  world: Pick<World, 'app'> & { close(): Promise<void> },
  launched: (browser: Browser) => void,
): Promise<string> {
  const server = world.app.listen(0, '127.0.0.1')
  await new Promise<void>(resolve => server.once('listening', resolve))
  let browser: Browser | undefined
  before(async () => {
    browser = await launchChromium()
    launched(browser)
  })
  after(async () => {
    await browser?.close()
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
    await world.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Signs in as a test world's user (the harness password) and waits for the home page. */
export async function signIn(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === '/')
}

// axe-core minified: the same code as the axe.js AxeBuilder injects, at less than half the size to send and parse
let axeSource: string | undefined
const axeSourceText = () =>
  (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'))

/**
 * axe-core's WCAG 2.1 A and AA rules over the page as it is now, in the page itself: the violations (empty when
 * clean). This is what @axe-core/playwright's AxeBuilder runs, without its costs that buy nothing here: it injects
 * axe twice per check, and in its default mode opens a blank page (a new renderer process) to assemble the results
 * of frames, of which keywork's pages have none. Injected once per document; a navigation brings a new document.
 */
export async function axeViolations(page: Page): Promise<AxeResult[]> {
  // a page with frames (keywork has none): AxeBuilder, which injects axe into each frame and assembles the results
  if (page.frames().length > 1) return (await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations
  if (!(await page.evaluate('typeof window.axe?.run === "function"'))) await page.evaluate(axeSourceText())
  const options: RunOptions = { runOnly: { type: 'tag', values: WCAG }, resultTypes: ['violations'] }
  const results = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as AxeResults
  return results.violations.map(knownIssuesLeftOut).filter(v => v.nodes.length > 0)
}

/**
 * GOV.UK Frontend's conditional reveals mark a radio aria-expanded, which ARIA 1.2 does not allow on a radio: a
 * known issue it keeps on purpose, because screen readers announce it (alphagov/govuk-frontend#979). Only that
 * finding is left out: aria-expanded on a radio controlling a GOV.UK conditional reveal, nothing else on the node.
 */
function knownIssuesLeftOut(v: AxeResult): AxeResult {
  if (v.id !== 'aria-allowed-attr') return v
  const conditionalReveal = (n: AxeResult['nodes'][number]) =>
    /^<input[^>]*type="radio"/.test(n.html) &&
    /aria-controls="conditional-[\w-]+"/.test(n.html) &&
    /^\s*ARIA attribute is not allowed: aria-expanded="(true|false)"\s*$/.test(
      (n.failureSummary ?? '').replace(/^Fix (any|all) of the following:/, ''),
    )
  return { ...v, nodes: v.nodes.filter(n => !conditionalReveal(n)) }
}

/**
 * What a person must never read on a page: a value the code failed to turn into words ("[object Object]",
 * "undefined", "NaN") or an internal field name of a form (camelCase, like durationMinutes).
 */
export const RAW_VALUES: [RegExp, string][] = [
  [/\[object \w+\]/, 'an object printed as text'],
  [/\bundefined\b/, '"undefined"'],
  [/\bNaN\b/, '"NaN"'],
  [/\b[a-z]+(?:[A-Z][a-z]+)+\b/, 'an internal field name'],
]

/**
 * Fails on any raw value in the page's rendered text (what a reader sees: innerText of the body). What a page shows
 * as recorded, verbatim (the audit trail's changes: evidence, not prose), is marked data-recorded-as-is and left out.
 */
export async function assertNoRawValues(page: Page, what: string) {
  const text = (await page.evaluate(`(() => {
    let text = document.body.innerText
    for (const el of document.querySelectorAll('[data-recorded-as-is]')) text = text.replace(el.innerText, '')
    return text
  })()`)) as string
  const found: string[] = []
  for (const [pattern, name] of RAW_VALUES) {
    const m = pattern.exec(text)
    if (m) found.push(`${name}: "${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).trim()}"`)
  }
  assert.deepEqual(found, [], `raw values on ${what} (${page.url()})`)
}

export async function assertAxeClean(page: Page, what: string) {
  await assertNoRawValues(page, what)
  const violations = await axeViolations(page)
  assert.deepEqual(
    violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join('; ')}`),
    [],
    `axe violations on ${what}`,
  )
}
