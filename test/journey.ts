import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createApp } from '../src/web/app'
import { launchChromium } from './chromium'
import { testServices } from './harness'

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

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

export async function assertAxeClean(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze()
  assert.deepEqual(
    violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join('; ')}`),
    [],
    `axe violations on ${what}`,
  )
}
