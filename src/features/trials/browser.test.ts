import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser } from 'playwright-core'
import { todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { seededWorld } from '../../../test/fixtures'
import { shiftMonth } from './panel'

// Real Chromium: the national team imports outcome counts, defines an intervention adopted by three establishments
// at two dates (its form's errors first), and reads the report: the estimate, the event-time chart with its text
// alternative and data table, the naive estimate. Every page passes axe and shows no raw values, at 1,280 px and on
// a phone.

const world = await seededWorld()
const s = world.services
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

it('the national team defines an intervention and reads its report, at 1,280 and 390 px', async () => {
  assert.ok(browser, 'Chromium did not start')
  // eight establishments with eighteen months of adjudications (population 1,000), +15 a month after adopting
  const last = shiftMonth(todayIso().slice(0, 7), -1)
  const lines = ['establishment,month,measure,count,population']
  for (let i = 0; i < 8; i++) {
    const made = await s.establishments.create(SYSTEM_ACTOR, {
      code: `J0${i}`,
      name: `Journey Prison ${i}`,
      category: 'C',
      region: 'Midlands',
    })
    assert.ok(made.ok)
    const adopted = i < 2 ? shiftMonth(last, -6) : i < 4 ? shiftMonth(last, -3) : null
    for (let k = 0; k < 18; k++) {
      const month = shiftMonth(last, -17 + k)
      const y = 80 + 2 * i + k + ((i * 5 + k * 3) % 4) + (adopted && month >= adopted ? 15 : 0)
      lines.push(`J0${i},${month},adjudications,${y},1000`)
    }
  }
  const imported = await s.trials.importCounts(
    { ...SYSTEM_ACTOR, username: 'national' },
    Buffer.from(lines.join('\n')),
    'adjudications.csv',
  )
  assert.ok(imported.ok)
  const ukFirst = (month: string) => `1/${Number(month.slice(5, 7))}/${month.slice(0, 4)}`

  for (const width of [1280, 390]) {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 } })
    const page = await context.newPage()
    await signIn(page, 'national')
    await page.goto('/trials')
    await assertAxeClean(page, `trials at ${width}`)
    await page.getByRole('button', { name: 'Define an intervention' }).click()
    await assertAxeClean(page, `new trial at ${width}`)
    // saved empty: every problem at once
    await page.getByRole('button', { name: 'Save and see the report' }).click()
    await page.getByText('There is a problem').waitFor()
    for (const m of [
      'Enter the name of the intervention',
      'Choose the kind of intervention',
      'Enter at least one adopting establishment',
      'Choose at least one outcome measure',
    ])
      assert.ok((await page.locator('.govuk-error-summary').innerText()).includes(m), m)
    await assertAxeClean(page, `new trial with errors at ${width}`)
    await page.getByLabel('Name of the intervention').fill(`Initial training course (${width})`)
    await page.getByLabel('Initial training course').check()
    await page
      .getByLabel('Adopting establishments and the date it started at each')
      .fill(
        `J00, ${ukFirst(shiftMonth(last, -6))}\nJ01, ${ukFirst(shiftMonth(last, -6))}\nJ02, ${ukFirst(shiftMonth(last, -3))}\nJ03, ${ukFirst(shiftMonth(last, -3))}`,
      )
    await page.getByLabel('Only the establishments I list').check()
    await page.getByLabel('Codes of the comparison establishments').fill('J04, J05, J06, J07')
    await page.getByLabel('Adjudications per 1,000 prisoners').check()
    await page.getByRole('button', { name: 'Save and see the report' }).click()
    await page.waitForURL(url => /^\/trials\/\d+$/.test(url.pathname))
    await page.getByRole('heading', { name: 'Adjudications per 1,000 prisoners' }).waitFor()
    const text = await page.locator('main').innerText()
    assert.match(text, /Estimated effect/)
    assert.match(text, /Naive estimate/)
    assert.match(text, /Month of adoption/)
    assert.equal(await page.locator('svg.kw-trial-chart[role="img"]').count(), 1)
    assert.match((await page.locator('svg.kw-trial-chart title').textContent()) ?? '', /Effect on Adjudications/)
    await assertAxeClean(page, `trial report at ${width}`)
    await page.getByRole('link', { name: /Change the trial/ }).click()
    await assertAxeClean(page, `change the trial at ${width}`)
    await page.goto('/trials/outcomes')
    await assertAxeClean(page, `outcome counts at ${width}`)
    await page.getByRole('button', { name: 'Import counts' }).click()
    await assertAxeClean(page, `import counts at ${width}`)
    await context.close()
  }
})
