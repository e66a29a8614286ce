import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { PASSWORD } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'

// Real Chromium: a Key Worker records a session on the entry form with JavaScript on. Every field change saves the
// draft on the server (the script), the form with errors and the entry page pass axe, and the entry is recorded.

const world = await seededWorld()
const own = world.seeded.MDI
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

const expectAccessible = (page: Page, what: string) => assertAxeClean(page, what)

/** The Supervising Officer's figures for the last 4 weeks, by measure. */
async function figures(page: Page) {
  await page.goto('/statistics')
  const read = async (measure: string) =>
    ((await page.locator(`tr[data-measure="${measure}"] td`).first().textContent()) ?? '').trim()
  return { delivered: await read('delivered'), compliance: await read('compliance') }
}

it('records a session on the form, saving the draft as fields change; the timeline and the statistics show it', async () => {
  assert.ok(browser, 'Chromium did not start')
  const soContext = await browser.newContext({ baseURL: base })
  const so = await soContext.newPage()
  await signIn(so, 'supervising_officer.mdi')
  const before = await figures(so)
  await expectAccessible(so, 'the statistics page')

  const context = await browser.newContext({ baseURL: base })
  const page = await context.newPage()
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill('key_worker.mdi')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === '/')

  await page.goto(`/prisoners/${own.prisonNumber}`)
  await page.getByRole('button', { name: 'Record a session' }).click()
  await page.waitForURL(url => /^\/sessions\/\d+\/edit$/.test(url.pathname))
  const id = Number(/\/sessions\/(\d+)\/edit/.exec(page.url())![1])
  await expectAccessible(page, 'the entry form')

  // a field change saves the draft through the script, without leaving the page
  await page.getByLabel('Yes, delivered').check()
  await page.getByLabel('What was agreed').fill('Saved by the script as I typed')
  await page.getByLabel('What was agreed').blur()
  await page.getByText(/Draft saved at/).waitFor({ timeout: 10_000 })
  const draft = await world.services.db.db
    .selectFrom('key_work_sessions')
    .select('draft_form')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.match(draft.draft_form ?? '', /Saved by the script as I typed/)
  assert.equal(page.url(), `${base}/sessions/${id}/edit`)

  // an invalid submit: the error summary, accessible, with what was typed kept
  await page.getByLabel('How long (minutes)').fill('600')
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.getByLabel('What was agreed').inputValue(), 'Saved by the script as I typed')
  await expectAccessible(page, 'the entry form with errors')

  await page.getByLabel('How long (minutes)').fill('45')
  // where and whether private are answered, never preset
  assert.equal(await page.locator('input[name="location"]:checked').count(), 0, 'no place is preset')
  assert.equal(await page.locator('input[name="private"]:checked').count(), 0, 'privacy is not preset')
  await page.getByLabel('Interview room').check()
  await page.locator('#private').check()
  await page.locator('#interpreterNeeded').check()
  await page.locator('#interpreterUsed').check()
  await page.getByLabel('Language').fill('Polish')
  await page.locator('#referral0To').selectOption(`service:${own.serviceId}`)
  await page.getByLabel('What is the goal?').first().fill('Find a housing advice appointment before release')
  await page.getByLabel('How will you both know it is achieved?').first().fill('Appointment letter received')
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.waitForURL(url => url.pathname === `/sessions/${id}`)
  assert.match((await page.locator('main').textContent()) ?? '', /Resettlement advice MDI/)
  await expectAccessible(page, 'the entry page')
  const row = await world.services.sessions.get(own.establishmentId, id)
  assert.equal(row?.status, 'submitted')

  // the prisoner's page carries the thread: what was agreed, the open goal and the open referral
  await page.goto(`/prisoners/${own.prisonNumber}`)
  const thread = (await page.locator('main').textContent()) ?? ''
  assert.match(thread, /Saved by the script as I typed/)
  assert.match(thread, /Find a housing advice appointment before release/)
  assert.match(thread, /Resettlement advice MDI/)
  await expectAccessible(page, 'the prisoner page after a session')

  // the prisoner's timeline shows the session, its goal and its referral
  await page.goto(`/prisoners/${own.prisonNumber}/timeline`)
  const timeline = (await page.locator('main').textContent()) ?? ''
  assert.match(timeline, /Find a housing advice appointment before release/)
  assert.match(timeline, /Resettlement advice MDI/)
  await expectAccessible(page, 'the timeline')
  await context.close()

  // the Supervising Officer sees one more session delivered, and the compliance figure move
  const after = await figures(so)
  assert.equal(Number(after.delivered), Number(before.delivered) + 1, JSON.stringify({ before, after }))
  assert.notEqual(after.compliance, before.compliance)
  await soContext.close()
})

let prisonerSeq = 0
/**
 * A new prisoner of the seeded establishment, Polish-speaking and needing an interpreter, and a draft for him started
 * from his page as the signed-in Key Worker; the draft's id.
 */
async function startDraft(page: Page): Promise<number> {
  const prisonNumber = `B${String(3901 + prisonerSeq++)}BB`
  const record = prisonerRecordSchema.parse({
    prisonNumber,
    firstName: 'Marek',
    lastName: 'Kowalski',
    dateOfBirth: '1990-01-01',
    unit: own.unitCode,
    cell: '',
    receptionDate: '2025-01-10',
    releaseDate: '',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'pl',
    interpreterNeeded: 'yes',
    nationality: 'Polish',
  })
  const actor = { ...SYSTEM_ACTOR, establishmentId: own.establishmentId }
  assert.ok((await world.services.prisoners.create(actor, own.establishmentId, record)).ok)
  await page.goto(`/prisoners/${prisonNumber}`)
  await page.getByRole('button', { name: 'Record a session' }).click()
  await page.waitForURL(url => /^\/sessions\/\d+\/edit$/.test(url.pathname))
  return Number(/\/sessions\/(\d+)\/edit/.exec(page.url())![1])
}

const draftForm = async (id: number) =>
  (
    await world.services.db.db
      .selectFrom('key_work_sessions')
      .select('draft_form')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).draft_form ?? ''

it('asks the questions of the outcome chosen, presets nothing it should ask, and wants what happened', async () => {
  assert.ok(browser, 'Chromium did not start')
  const context = await browser.newContext({ baseURL: base })
  const page = await context.newPage()
  await signIn(page, 'key_worker.mdi')
  const id = await startDraft(page)

  // nothing chosen yet: neither outcome's questions show
  assert.equal(await page.getByLabel('Why was it not delivered?').isVisible(), false)
  assert.equal(await page.getByLabel('How long (minutes)').isVisible(), false)
  await page.getByLabel('No, not delivered').check()
  assert.equal(await page.getByLabel('Why was it not delivered?').isVisible(), true)
  assert.equal(await page.getByLabel('How long (minutes)').isVisible(), false)
  await page.getByLabel('Why was it not delivered?').selectOption('prisoner_refused')
  await page.getByLabel('Yes, delivered').check()
  assert.equal(await page.getByLabel('Why was it not delivered?').isVisible(), false)
  assert.equal(await page.getByLabel('How long (minutes)').isVisible(), true)
  // the prisoner needs an interpreter and speaks Polish (made so above): the language starts as his
  assert.equal(await page.locator('#interpreterLanguage').inputValue(), 'Polish')
  await expectAccessible(page, 'the entry form with the delivered questions shown')

  // a delivered session with nothing written about it is refused
  await page.getByLabel('How long (minutes)').fill('30')
  await page.getByLabel('Cell').check()
  await page.locator('#private-2').check()
  await page.locator('#interpreterUsed').check()
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /Record what was discussed or agreed/)
  await expectAccessible(page, 'the entry form asking what happened')

  // with what was agreed it is recorded, and the refusal reason of the branch not chosen is not
  await page.getByLabel('What was agreed').fill('To try the gym induction next week')
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.waitForURL(url => url.pathname === `/sessions/${id}`)
  const row = await world.services.sessions.get(own.establishmentId, id)
  assert.deepEqual(
    { outcome: row?.outcome, reason: row?.not_delivered_reason, location: row?.location, private: row?.private },
    { outcome: 'delivered', reason: null, location: 'cell', private: 0 },
  )
  await context.close()
})

it('says plainly when the sign-in has expired, keeps the text, and brings it back after signing in', async () => {
  assert.ok(browser, 'Chromium did not start')
  const context = await browser.newContext({ baseURL: base })
  const page = await context.newPage()
  await signIn(page, 'key_worker.mdi')
  const id = await startDraft(page)
  const userId = (
    await world.services.db.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'key_worker.mdi')
      .executeTakeFirstOrThrow()
  ).id
  // the idle timeout passes: the session row's expiry is moved into the past (no waiting)
  const expire = () =>
    world.services.db.db
      .updateTable('web_sessions')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('user_id', '=', userId)
      .execute()

  await page.getByLabel('Yes, delivered').check()
  await page.getByText(/Draft saved at/).waitFor({ timeout: 10_000 })
  await expire()
  const agreed = page.getByLabel('What was agreed')
  await agreed.fill('Typed after the sign-in expired')
  await agreed.blur()
  const status = page.locator('#draft-status')
  await status.getByText(/NOT saved: you have been signed out/).waitFor({ timeout: 10_000 })
  assert.doesNotMatch((await status.textContent()) ?? '', /Draft saved/)
  assert.equal(await agreed.inputValue(), 'Typed after the sign-in expired', 'the text stays on the page')
  assert.doesNotMatch(await draftForm(id), /Typed after the sign-in expired/, 'nothing was saved')
  const link = status.getByRole('link', { name: /Sign in again/ })
  assert.equal(await link.getAttribute('target'), '_blank')
  await expectAccessible(page, 'the entry form saying the draft was not saved')

  // signing in again in another tab: the next change in this one is saved (with the new sign-in's token)
  const other = await context.newPage()
  await signIn(other, 'key_worker.mdi')
  await other.close()
  await agreed.fill('Typed after signing in again in another tab')
  await agreed.blur()
  await status.getByText(/Draft saved at/).waitFor({ timeout: 10_000 })
  assert.match(await draftForm(id), /Typed after signing in again in another tab/)

  // expired again, then submitted: sign in, and the form comes back with everything typed, not yet saved
  await expire()
  await page.getByLabel('How long (minutes)').fill('40')
  await page.getByLabel('Wing office').check()
  await page.locator('#private').check()
  await page.locator('#interpreterUsed-2').check()
  await page.getByLabel('Why was no interpreter used?').fill('The telephone line was down')
  await agreed.fill('Submitted after the sign-in expired')
  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.waitForURL(url => url.pathname === '/sign-in')
  await page.getByLabel('Username').fill('key_worker.mdi')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === `/sessions/${id}/edit`)
  assert.match((await page.locator('main').textContent()) ?? '', /You were signed out before this was saved/)
  assert.equal(await agreed.inputValue(), 'Submitted after the sign-in expired')
  assert.equal(await page.getByLabel('How long (minutes)').inputValue(), '40')
  assert.equal(await page.getByLabel('Wing office').isChecked(), true)
  assert.equal(await page.getByLabel('Why was no interpreter used?').inputValue(), 'The telephone line was down')
  assert.doesNotMatch(await draftForm(id), /Submitted after the sign-in expired/, 'not saved without a fresh token')
  await expectAccessible(page, 'the entry form brought back after signing in')

  await page.getByRole('button', { name: 'Submit entry' }).click()
  await page.waitForURL(url => url.pathname === `/sessions/${id}`)
  const row = await world.services.sessions.get(own.establishmentId, id)
  assert.equal(row?.status, 'submitted')
  assert.equal(row?.agreed, 'Submitted after the sign-in expired')
  await context.close()
})
