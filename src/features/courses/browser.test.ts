import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser } from 'playwright-core'
import { todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { seededWorld } from '../../../test/fixtures'
import { staffRecordSchema } from '../staff/schema'

// Real Chromium: an SO schedules a course with two places (its form's errors first), enrols two officers and a
// third, who goes on the waiting list; the trainer takes the register and completes the course; the officer
// downloads the certificate and the public page verifies it; the officer rates the course. Every page passes axe
// and shows no raw values, at 1,280 px and on a phone.

const world = await seededWorld()
const s = world.services
const db = s.db.db
const own = world.seeded.MDI
await s.training.ensureNational()
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

async function officer(staffNumber: string, first: string, last: string) {
  const r = await s.staff.create(
    { ...SYSTEM_ACTOR, establishmentId: own.establishmentId },
    own.establishmentId,
    staffRecordSchema.parse({
      staffNumber,
      firstName: first,
      lastName: last,
      grade: 'Band 3',
      workingPattern: 'full_time',
      startedInPost: '2026-01-05',
      languages: 'English',
      status: 'active',
    }),
  )
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

it('an SO fills a course (the next waits), the trainer completes it, the officer’s certificate verifies', async () => {
  assert.ok(browser, 'Chromium did not start')
  const kwUser = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'key_worker.mdi')
    .executeTakeFirstOrThrow()
  // the Key Worker's account is Sam Officer MDI's staff record
  await db.updateTable('staff').set({ user_id: kwUser.id }).where('id', '=', own.staffId).execute()
  await officer('MDI0201', 'Bea', 'Birch')
  await officer('MDI0202', 'Cal', 'Cedar')
  const mi = (await s.training.moduleByCode('KW-TOPUP-MI', null))!
  const today = todayIso()
  const [y, m, d] = today.split('-')

  const soContext = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })
  const so = await soContext.newPage()
  await signIn(so, 'supervising_officer.mdi')
  await so.goto('/training/courses')
  await assertAxeClean(so, 'the course list')
  await so.getByRole('button', { name: 'Schedule a course' }).click()
  await so.getByRole('button', { name: 'Schedule the course' }).click()
  await so.locator('.govuk-error-summary').waitFor()
  await assertAxeClean(so, 'the schedule form with its errors')
  await so.getByLabel('Module').selectOption(String(mi.id))
  await so.locator('input[name="day1-day"]').fill(String(Number(d)))
  await so.locator('input[name="day1-month"]').fill(String(Number(m)))
  await so.locator('input[name="day1-year"]').fill(y!)
  await so.getByLabel('Starts at (day 1)').fill('09:30')
  await so.getByLabel('Ends at (day 1)').fill('12:30')
  await so.getByLabel('Trainer', { exact: true }).selectOption(String(kwUser.id))
  await so.getByLabel('Place', { exact: true }).fill('Learning centre, room 2')
  await so.getByLabel('Number of places').fill('2')
  await so.getByRole('button', { name: 'Schedule the course' }).click()
  await so.waitForURL(url => /^\/training\/courses\/\d+$/.test(url.pathname))
  const courseId = Number(/(\d+)$/.exec(new URL(so.url()).pathname)![1])
  await assertAxeClean(so, 'the new course')

  for (const label of ['Bea Birch (MDI0201)', 'Sam Officer MDI (MDI0001)']) {
    await so.getByLabel('Officer of Moorland (HMP)').selectOption({ label })
    await so.getByRole('button', { name: 'Enrol', exact: true }).click()
    await so.getByText('is enrolled on this course').waitFor()
  }
  // one place was left and is taken: the next goes on the waiting list
  await so.getByLabel('Officer of Moorland (HMP)').selectOption({ label: 'Cal Cedar (MDI0202)' })
  await so.getByRole('button', { name: 'Enrol', exact: true }).click()
  await so.getByText('The course is full: Cal Cedar is on the waiting list').waitFor()
  assert.match(await so.locator('main').innerText(), /2 of 2 places taken; 0 left\. 1 on the waiting list\./)
  await assertAxeClean(so, 'the full course with its waiting list')
  await so.goto('/training/courses')
  assert.match(await so.locator('main').innerText(), /Full/)

  // the trainer (the Key Worker user) takes the register, then completes the course
  const kwContext = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })
  const kw = await kwContext.newPage()
  await signIn(kw, 'key_worker.mdi')
  await kw.goto(`/training/courses/${courseId}`)
  await kw.getByRole('link', { name: 'Take the register' }).click()
  await kw.getByRole('button', { name: 'Save the register' }).click()
  await kw.locator('.govuk-error-summary').waitFor()
  await assertAxeClean(kw, 'the register with its errors')
  for (const group of await kw.locator('.govuk-radios').all()) await group.getByLabel('Present').check()
  await kw.getByRole('button', { name: 'Save the register' }).click()
  await kw.getByText('Register saved').waitFor()
  await kw.goto(`/training/courses/${courseId}/complete`)
  await assertAxeClean(kw, 'the completion form')
  await kw.getByRole('group', { name: 'Outcome for Sam Officer MDI' }).getByLabel('Passed', { exact: true }).check()
  await kw.getByLabel('Evidence for Sam Officer MDI (optional)').fill('Assessed role play: met every outcome.')
  await kw.getByRole('group', { name: 'Outcome for Bea Birch' }).getByLabel('Completed', { exact: true }).check()
  await kw.getByRole('button', { name: 'Complete the course' }).click()
  await kw.getByText('Course completed: 2 completions added to training records').waitFor()
  await assertAxeClean(kw, 'the completed course')

  // the officer rates the course once
  await kw.getByLabel('5 (excellent)').check()
  await kw.getByLabel('Comment (optional)').fill('The role plays were the best part.')
  await kw.getByRole('button', { name: 'Send feedback' }).click()
  await kw.getByText('Thank you: your feedback is saved').waitFor()
  await assertAxeClean(kw, 'the course after feedback')

  // the certificate: a PDF from the officer's record, and the public page verifies its code
  const cert = await db
    .selectFrom('training_certificates as c')
    .innerJoin('training_completions as t', 't.id', 'c.completion_id')
    .select(['c.id', 'c.code'])
    .where('t.course_id', '=', courseId)
    .where('c.staff_id', '=', own.staffId)
    .executeTakeFirstOrThrow()
  const pdf = await kw.request.get(`/training/certificates/${cert.id}`)
  assert.equal(pdf.status(), 200)
  assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/)
  const publicContext = await browser.newContext({ baseURL: base })
  const visitor = await publicContext.newPage()
  await visitor.goto(`/certificates/verify?code=${encodeURIComponent(cert.code)}`)
  const shown = await visitor.locator('main').innerText()
  assert.match(shown, /Sam Officer MDI/)
  assert.match(shown, new RegExp(mi.title))
  await assertAxeClean(visitor, 'the public certificate check')

  // the national team reads the module's ratings
  const nContext = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 900 } })
  const national = await nContext.newPage()
  await signIn(national, 'national')
  await national.selectOption('#switch-establishment', 'MDI')
  await national.getByRole('button', { name: 'Change establishment' }).click()
  await national.waitForURL(url => url.pathname === '/')
  await national.goto('/training/feedback')
  assert.match(await national.locator('main').innerText(), /The role plays were the best part\./)
  await assertAxeClean(national, 'course feedback on a phone')
  for (const path of ['/training/courses', `/training/courses/${courseId}`]) {
    await national.goto(path)
    await assertAxeClean(national, `${path} on a phone`)
  }
  await Promise.all([soContext.close(), kwContext.close(), publicContext.close(), nContext.close()])
})
