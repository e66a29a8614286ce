import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, it } from 'node:test'
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, Page } from 'playwright-core'
import { createApp } from '../src/web/app'
import { launchChromium } from './chromium'
import { testServices } from './harness'

// The Supervising Officer's journey in real Chromium: run the automatic allocation on a demo establishment, hold
// one prisoner back on the preview, confirm, and see the result; both pages pass axe.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

const services = await testServices()
const loaded = await services.demo.load({ seed: 3, establishments: 1, prisonersPer: 150, reset: false })
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
const app = createApp(services)
const server = app.listen(0, '127.0.0.1')
await new Promise<void>(resolve => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

let browser: Browser | undefined

before(async () => {
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
  await services.close()
})

async function assertAxeClean(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze()
  assert.deepEqual(
    violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join('; ')}`),
    [],
    `axe violations on ${what}`,
  )
}

it('a Supervising Officer auto-allocates, holds one prisoner back and confirms', async () => {
  assert.ok(browser, 'Chromium did not start')
  const context = await browser.newContext({ baseURL: base })
  const page = await context.newPage()
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill('supervisor')
  await page.getByLabel('Password', { exact: true }).fill('key-work-demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))

  await page.goto('/allocate')
  assert.equal(await page.locator('h1').textContent(), 'Allocate Key Workers')
  await assertAxeClean(page, '/allocate')

  await page.getByRole('button', { name: 'Run automatic allocation' }).click()
  await page.waitForURL(url => url.pathname === '/allocate/preview')
  assert.equal(await page.locator('h1').textContent(), 'Check the proposed allocations')
  await assertAxeClean(page, '/allocate/preview')

  const selects = page.locator('select[name^="staff_"]')
  const count = await selects.count()
  assert.ok(count > 1, `the preview proposes pairs (${count})`)
  const first = selects.first()
  const skipped = (await first.getAttribute('name'))!.slice('staff_'.length)
  await first.selectOption({ label: 'Do not allocate now' })
  await page.getByRole('button', { name: 'Confirm allocations' }).click()
  await page.waitForURL(url => url.pathname === '/allocate')

  const banner = page.locator('.govuk-notification-banner--success')
  assert.match((await banner.textContent()) ?? '', new RegExp(`${count - 1} prisoners allocated a Key Worker`))
  // the held-back prisoner is still waiting, linked from the list
  assert.equal(await page.locator(`a[href="/prisoners/${skipped}"]`).count(), 1)
  await context.close()
})
