import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../../test/chromium'
import { assertAxeClean } from '../../../test/journey'
import { PASSWORD } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'

// Real Chromium: a Key Worker records a session on the entry form with JavaScript on. Every field change saves the
// draft on the server (the script), the form with errors and the entry page pass axe, and the entry is recorded.

const world = await seededWorld()
const own = world.seeded.MDI
const server = world.app.listen(0, '127.0.0.1')
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
  await world.close()
})

const expectAccessible = (page: Page, what: string) => assertAxeClean(page, what)

async function signIn(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === '/')
}

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
  await page.getByRole('button', { name: 'Start recording' }).click()
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
