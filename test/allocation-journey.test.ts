import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { assertAxeClean, demoJourney } from './journey'

// The Supervising Officer's journey in real Chromium: run the automatic allocation on a demo establishment, hold
// one prisoner back on the preview, confirm, and see the result; both pages pass axe.

const journey = await demoJourney({ seed: 3, prisonersPer: 150 })
before(() => journey.start())
after(() => journey.close())

it('a Supervising Officer auto-allocates, holds one prisoner back and confirms', async () => {
  const { context, page } = await journey.signedIn('supervisor')

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
