import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser } from 'playwright-core'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { assertAxeClean, assertNoRawValues, servedInChromium, signIn } from '../../../test/journey'
import { testWorld } from '../../../test/harness'

// Real Chromium: the national team lands on the overview, narrows it to one category, sorts it, reads the rules its
// statuses come from, goes into one establishment's statistics from its row, and comes back. By keyboard where the
// page is a form (the filters), at 1,280 px and on a phone; every page passes axe and shows no raw values.

const world = await testWorld()
const s = world.services
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

// MDI and LEI are Category B locals in Yorkshire (the harness); a Category C in the Midlands makes the filter matter
const made = await s.establishments.create(SYSTEM_ACTOR, {
  code: 'SFI',
  name: 'Stafford (HMP)',
  category: 'Category C',
  region: 'Midlands',
})
assert.ok(made.ok)

it('the national team filters, sorts and drills into the overview, at 1,280 and 390 px', async () => {
  assert.ok(browser, 'Chromium did not start')
  const chromium: Browser = browser
  for (const width of [1280, 390]) {
    const context = await chromium.newContext({ baseURL: base, viewport: { width, height: 900 } })
    const page = await context.newPage()
    await signIn(page, 'national')
    // a national user who has not chosen an establishment lands on the overview
    await page.getByRole('heading', { name: 'National overview', level: 1 }).waitFor()
    const codes = async () =>
      page.locator('tr[data-code]').evaluateAll(rows => rows.map(r => r.getAttribute('data-code')))
    assert.deepEqual((await codes()).sort(), ['LEI', 'MDI', 'SFI'])
    await assertAxeClean(page, `overview at ${width}`)
    await assertNoRawValues(page, `overview at ${width}`)

    // the filters by keyboard: Category C only
    await page.getByLabel('Category').focus()
    await page.getByLabel('Category').selectOption('Category C')
    await page.getByRole('button', { name: 'Show' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('category') === 'Category C')
    assert.deepEqual(await codes(), ['SFI'])
    assert.match(await page.locator('caption').first().innerText(), /1 establishment, Category C/)
    await assertAxeClean(page, `overview of Category C at ${width}`)

    // every establishment again, sorted by name from Z to A
    await page.getByRole('link', { name: 'Show every establishment' }).click()
    await page.getByLabel('Sort by').selectOption({ label: 'Establishment name' })
    await page.getByLabel('Order').selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(url => url.searchParams.has('order'))
    // Stafford, Moorland, Leeds: the names' reverse order
    assert.deepEqual(await codes(), ['SFI', 'MDI', 'LEI'])

    // the rules the statuses come from are on the page, in words
    const rules = await page.locator('main').innerText()
    assert.match(rules, /Compliance\s+Green at 85% or more, amber at 70% or more, red below/)

    // into Moorland's statistics from its row, as that establishment
    await page.getByRole('button', { name: 'Statistics of Moorland (HMP)' }).click()
    await page.waitForURL(url => url.pathname === '/statistics')
    assert.match(await page.locator('header, .app-signed-in, body').first().innerText(), /Moorland \(HMP\)/)
    await assertAxeClean(page, `Moorland's statistics from the overview at ${width}`)
    await page.goto('/national')
    await assertAxeClean(page, `overview again at ${width}`)
    await context.close()
  }
})
