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
  // the second row goes to a Key Worker the engine did not propose: every Key Worker with room is offered, each
  // shown with their staff number, caseload and capacity
  const second = selects.nth(1)
  const changed = (await second.getAttribute('name'))!.slice('staff_'.length)
  const proposed = await second.inputValue()
  const options = await second
    .locator('option')
    .evaluateAll(els => els.map(e => ({ value: e.getAttribute('value')!, text: e.textContent ?? '' })))
  assert.ok(options.length > 3, 'more Key Workers than the proposed one')
  for (const o of options.slice(1, -1))
    assert.match(o.text, /^[^,]+, [^(]+\(\d+(, [^)]+)?\): \d+ of \d+/, 'name, staff number, caseload of capacity')
  // one with room left after the proposal (load + proposed below capacity)
  const other = options.slice(1, -1).find(o => {
    const m = /: (\d+) of (\d+)(?:, (\d+) proposed)?$/.exec(o.text)!
    return Number(m[1]) + Number(m[3] ?? 0) < Number(m[2])
  })!
  const otherId = other.value
  assert.notEqual(otherId, proposed)
  await second.selectOption(otherId)
  await page.getByRole('button', { name: 'Confirm allocations' }).click()
  await page.waitForURL(url => url.pathname === '/allocate')

  const banner = page.locator('.govuk-notification-banner--success')
  assert.match((await banner.textContent()) ?? '', new RegExp(`${count - 1} prisoners allocated a Key Worker`))
  // the held-back prisoner is still waiting, linked from the list
  assert.equal(await page.locator(`a[href="/prisoners/${skipped}"]`).count(), 1)
  const saved = await journey.services.db.db
    .selectFrom('allocations')
    .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
    .select(['allocations.staff_id', 'allocations.allocation_reason'])
    .where('prisoners.prison_number', '=', changed)
    .where('allocations.deallocated_at', 'is', null)
    .executeTakeFirstOrThrow()
  assert.deepEqual(saved, { staff_id: Number(otherId), allocation_reason: 'manual' })

  // at 4 prisoners per Key Worker (the national minimum) nobody has room: the pages say why and what would help
  await journey.services.db.db.updateTable('establishments').set({ ratio: 4 }).execute()
  await page.goto('/allocate')
  await assertAxeClean(page, '/allocate with nobody room')
  const why = page.locator('#no-room')
  assert.match((await why.textContent()) ?? '', /no Key Worker has room at 4 prisoners per Key Worker/)
  assert.match(
    (await why.textContent()) ?? '',
    /Raising capacity to \d+ prisoners per Key Worker, within the national maximum of 10/,
  )
  await page.getByRole('button', { name: 'Run automatic allocation' }).click()
  await page.waitForURL(url => url.pathname === '/allocate/preview')
  assert.match((await page.locator('#no-room').textContent()) ?? '', /would make room for \d+ more/)
  assert.match(
    (await page.locator('main').textContent()) ?? '',
    /\d+ prisoners?: No Key Worker has room on their caseload\./,
  )
  await assertAxeClean(page, '/allocate/preview with nobody room')
  await context.close()
})
