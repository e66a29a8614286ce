import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { seededWorld } from '../../../test/fixtures'

// Real Chromium: "Check my entry" as the officer types (the script posts the form to the JSON answer and puts the
// hints in the aria-live panel), the button without the script, and the form with hints and the quality rubric
// pages axe clean at 390 and 1,280 px.

const world = await seededWorld()
const own = world.seeded.MDI
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

const hints = (page: Page) => page.locator('[data-entry-check-results]')

it('shows hints as the officer types, and takes them away when the entry answers them', async () => {
  assert.ok(browser, 'Chromium did not start')
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signIn(page, 'key_worker.mdi')
  await page.goto(`/prisoners/${own.prisonNumber}`)
  await page.getByRole('button', { name: 'Record a session' }).click()
  await page.waitForURL(url => /^\/sessions\/\d+\/edit$/.test(url.pathname))

  // the first hints arrive without anything typed
  await hints(page)
    .getByText(/Nothing is written in Tomasz's own words/)
    .waitFor({ timeout: 10_000 })
  await page.getByLabel('Yes, delivered').check()
  await page.getByLabel('How long (minutes)').fill('45')
  await page
    .getByLabel('What Tomasz said, in their own words')
    .fill('"I am worried about my flat," he said. I want to keep it for when I get out.')
  await hints(page)
    .getByText(/This was a 45-minute session but the entry is about two lines/)
    .waitFor({ timeout: 10_000 })
  assert.equal(
    await hints(page)
      .getByText(/Nothing is written in Tomasz's own words/)
      .count(),
    0,
  )
  assert.equal(await hints(page).getAttribute('aria-live'), 'polite')
  await assertAxeClean(page, 'the entry form with hints')

  // a hint's link takes the officer to the question
  await hints(page)
    .getByRole('link', { name: /Go to the question about a smart goal set or reviewed/i })
    .click()
  assert.equal(new URL(page.url()).hash, '#goal0Description')

  // hints never block a submit
  await page
    .getByLabel('Interview room')
    .check()
    .catch(() => page.locator('input[name="location"]').first().check())
  await page.locator('input[name="private"][value="yes"]').check()
  await page.locator('input[name="interpreterNeeded"][value="yes"]').check()
  await page.locator('input[name="interpreterUsed"][value="no"]').check()
  await page.getByLabel('Why was no interpreter used?').fill('He asked to speak English today')
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.waitForURL(url => /^\/sessions\/\d+$/.test(url.pathname))
  const id = Number(/\/sessions\/(\d+)$/.exec(new URL(page.url()).pathname)![1])
  const row = await world.services.db.db
    .selectFrom('key_work_sessions')
    .select(['status', 'precheck', 'precheck_score'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(row.status, 'submitted')
  assert.ok(row.precheck, 'the pre-check is stored')
  await context.close()
})

it('the button works without JavaScript', async () => {
  assert.ok(browser)
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page, 'supervising_officer.mdi')
  await page.goto(`/prisoners/${own.prisonNumber}`)
  await page.getByRole('button', { name: 'Record a session' }).click()
  await page.waitForURL(url => /^\/sessions\/\d+\/edit$/.test(url.pathname))
  await page.getByLabel('What was agreed').fill('Talk again.')
  await page.getByRole('button', { name: 'Check my entry' }).click()
  await page.waitForURL(url => url.searchParams.get('check') === '1')
  await hints(page)
    .getByText(/hints for this entry/)
    .waitFor()
  assert.equal(await page.getByLabel('What was agreed').inputValue(), 'Talk again.')
  await context.close()
})

it('the entry form with hints and the rubric pages are accessible on a phone and a desktop', async () => {
  assert.ok(browser)
  const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await signIn(page, 'supervising_officer.mdi')
  const draft = await world.services.db.db
    .selectFrom('key_work_sessions')
    .select('id')
    .where('status', '=', 'draft')
    .where('author', '=', 'supervising_officer.mdi')
    .executeTakeFirstOrThrow()
  await page.goto(`/sessions/${draft.id}/edit?check=1`)
  await hints(page)
    .getByText(/hints for this entry/)
    .waitFor()
  await assertAxeClean(page, 'the entry form with hints, 390 px')
  await page.goto('/quality/rubric')
  await assertAxeClean(page, 'the rubric page, 390 px')
  await page.setViewportSize({ width: 1280, height: 900 })
  await assertAxeClean(page, 'the rubric page, 1,280 px')
  await page.goto('/quality/rubric/criteria/new')
  await page.getByRole('button', { name: 'Add criterion' }).click()
  await page.getByText('There is a problem').waitFor()
  await assertAxeClean(page, 'the criterion form with errors')
  await context.close()
})
