import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser } from 'playwright-core'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { seededWorld } from '../../../test/fixtures'
import { entryOf } from '../../../test/support/qa'

// Real Chromium: the Supervising Officer's queue, review form (with its errors), review and commendation pages, and
// the Key Worker's feedback, review and notices pages pass axe and show no raw values; the review is made by
// clicking through, the officer acknowledges and replies, at 1,280 px and on a phone.

const world = await seededWorld()
const s = world.services
const own = world.seeded.MDI
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

it('an SO reviews a sampled entry and commends it; the officer reads, acknowledges and replies', async () => {
  assert.ok(browser, 'Chromium did not start')
  const entry = await entryOf(s, {
    establishmentId: own.establishmentId,
    prisonNumber: own.prisonNumber,
    staffId: own.staffId,
    authorUsername: 'key_worker.mdi',
    sessionDate: '2025-02-03',
    concern: true,
  })
  await s.qa.draw(
    { userId: null, username: 'system', establishmentId: own.establishmentId },
    own.establishmentId,
    '2025-02',
  )
  const rubric = await s.rubric.current(own.establishmentId)

  for (const width of [1280, 390]) {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 } })
    const so = await context.newPage()
    await signIn(so, 'supervising_officer.mdi')
    for (const path of [
      '/quality/queue',
      '/quality/settings',
      '/quality/reviews',
      '/quality/reviews/new',
      '/quality/commend',
    ])
      await so.goto(path).then(() => assertAxeClean(so, `${path} at ${width} px`))
    await context.close()
  }

  const soContext = await browser.newContext({ baseURL: base })
  const so = await soContext.newPage()
  await signIn(so, 'supervising_officer.mdi')
  await so.goto('/quality/queue')
  await so.locator('a[href^="/quality/reviews/new?sample="]').first().click()
  await so.waitForURL(url => url.pathname === '/quality/reviews/new')
  await assertAxeClean(so, 'the review form')
  await so.getByRole('button', { name: 'Save the review' }).click()
  await so.locator('.govuk-error-summary').waitFor()
  await assertAxeClean(so, 'the review form with its errors')
  for (const c of rubric.criteria) await so.locator(`input[name="score-${c.id}"][value="3"]`).check()
  await so.locator('input[name="overall"][value="3"]').check()
  await so.getByLabel('What was good').fill('You recorded his own words and what he wants.')
  await so.getByLabel('One thing to do differently').fill('Give the goal a date.')
  await so.getByRole('button', { name: 'Save the review' }).click()
  await so.waitForURL(url => url.pathname === '/quality/review')
  await assertAxeClean(so, 'the review page')
  await so.getByRole('link', { name: 'Commend this entry' }).click()
  await assertAxeClean(so, 'the commendation form')
  await so.getByLabel('What you are commending').fill('A model entry: his voice throughout.')
  await so.getByRole('button', { name: 'Send the commendation' }).click()
  await so.waitForURL(url => url.pathname === '/quality/reviews')
  await assertAxeClean(so, 'reviews and commendations')

  const kwContext = await browser.newContext({ baseURL: base })
  const kw = await kwContext.newPage()
  await signIn(kw, 'key_worker.mdi')
  await assertAxeClean(kw, 'the home page with new notices')
  await kw.getByRole('link', { name: /new notices?/ }).click()
  await assertAxeClean(kw, 'notices')
  await kw.getByRole('link', { name: 'Feedback', exact: true }).click()
  await assertAxeClean(kw, 'my feedback')
  await kw.getByRole('link', { name: /Your entry of 3 February 2025/ }).click()
  await assertAxeClean(kw, 'the officer’s review page')
  await kw.getByRole('button', { name: 'I have read this feedback' }).click()
  await kw.getByLabel(/Your reply to/).fill('Thank you: I will date my goals.')
  await kw.getByRole('button', { name: 'Send reply' }).click()
  await kw.getByText('Reply sent').waitFor()
  await assertAxeClean(kw, 'the officer’s review page after replying')
  const review = await s.db.db
    .selectFrom('qa_reviews')
    .selectAll()
    .where('session_id', '=', entry)
    .executeTakeFirstOrThrow()
  assert.ok(review.acknowledged_at)
  assert.equal(review.reply, 'Thank you: I will date my goals.')

  await so.goto(`/quality/review?id=${review.id}`)
  assert.match(await so.locator('main').innerText(), /Thank you: I will date my goals\./)
  await so.getByText('Amend the review').click()
  await so.getByRole('button', { name: 'Save the amendment' }).click()
  await so.locator('.govuk-error-summary').waitFor()
  await assertAxeClean(so, 'the review page with the amend form’s errors')
  await soContext.close()
  await kwContext.close()
})
