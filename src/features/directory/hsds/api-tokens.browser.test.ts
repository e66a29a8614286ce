import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { PASSWORD, testWorld } from '../../../../test/harness'
import { assertAxeClean, servedInChromium } from '../../../../test/journey'

// The API tokens page in real Chromium, with the keyboard: an establishment admin creates a token (shown once),
// the token reads the API, and revoking it from the list ends its access. Each state of the page passes axe.

const world = await testWorld()
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

describe('API tokens in a browser', () => {
  it('creates a token shown once, which reads the API until it is revoked', async () => {
    assert.ok(browser, 'Chromium did not start')
    const context = await browser.newContext({ baseURL: base })
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('establishment_admin.mdi')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))

    await page.goto('/directory/export')
    await page.getByRole('link', { name: /API tokens/ }).click()
    await page.waitForURL(url => url.pathname === '/directory/api-tokens')
    await assertAxeClean(page, 'the API tokens page, no token yet')

    await page.getByLabel('Who the token is for').fill('Leeds City Council')
    await page.getByLabel('Services directory (HSDS API, read-only)').check()
    await page.getByLabel('Who the token is for').press('Enter')
    await page.getByRole('heading', { name: 'API token created', level: 1 }).waitFor()
    await assertAxeClean(page, 'the new token')
    const token = (await page.locator('#new-token').innerText()).trim()
    assert.match(token, /^kwh_[A-Za-z0-9_-]{43}$/)

    // a partner's script: no cookie, only the token
    const read = (t: string) => fetch(`${base}/api/hsds/services`, { headers: { Authorization: `Bearer ${t}` } })
    const api = await read(token)
    assert.equal(api.status, 200)
    assert.equal(((await api.json()) as { total_items: number }).total_items, 0)

    await page.getByRole('link', { name: 'Back to API tokens' }).click()
    await page.getByRole('table').waitFor()
    assert.equal(await page.getByText(token).count(), 0, 'the list never shows the token')
    await assertAxeClean(page, 'the API tokens list')

    await page.getByRole('button', { name: 'Revoke the token for Leeds City Council' }).focus()
    await page.keyboard.press('Enter')
    await page.getByText('The token is revoked').waitFor()
    await assertAxeClean(page, 'the list after a revocation')
    assert.match(await page.getByRole('table').innerText(), /Revoked/)

    const refused = await read(token)
    assert.equal(refused.status, 401)
    await context.close()
  })
})
