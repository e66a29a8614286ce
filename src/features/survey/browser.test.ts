import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { assertAxeClean, servedInChromium, signIn } from '../../../test/journey'
import { seededWorld } from '../../../test/fixtures'

// Real Chromium: a Key Worker sees the open survey on their home page, starts it and answers it with the keyboard
// alone (the form's errors first), and is thanked; every page passes axe at 1,280 px and on a phone (390 px). The
// response is saved with no link to them.

const world = await seededWorld()
const s = world.services
const db = s.db.db
let browser: Browser | undefined
const base = await servedInChromium(world, launched => (browser = launched))

const focused = (page: Page) =>
  page.evaluate(
    '(() => { const e = document.activeElement; return { id: e?.id ?? "", href: e?.getAttribute("href") ?? "", tag: e?.tagName ?? "", text: e?.textContent?.trim() ?? "" } })()',
  ) as Promise<{ id: string; href: string; tag: string; text: string }>

/** Presses Tab until the check passes; fails if it never does, as a keyboard user would be stuck. */
async function tabTo(page: Page, check: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab')
    if (check(await focused(page))) return
  }
  assert.fail(`could not reach ${what} with the Tab key`)
}

async function axeBothWidths(page: Page, what: string) {
  await page.setViewportSize({ width: 1280, height: 900 })
  await assertAxeClean(page, `${what} at 1,280 px`)
  await page.setViewportSize({ width: 390, height: 844 })
  await assertAxeClean(page, `${what} at 390 px`)
  await page.setViewportSize({ width: 1280, height: 900 })
}

it('a Key Worker answers the staff survey with the keyboard alone', async () => {
  assert.ok(browser, 'Chromium did not start')
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signIn(page, 'key_worker.mdi')
  await page.getByText('A staff survey is open').waitFor()
  await axeBothWidths(page, 'the home page with the survey banner')

  // from the home page's banner to the survey
  await tabTo(page, f => f.href === '/survey', 'the survey link')
  await page.keyboard.press('Enter')
  await page.waitForURL(url => url.pathname === '/survey')
  await axeBothWidths(page, 'the survey’s start page')

  // starting without the confirmation: the error summary
  await tabTo(page, f => f.text === 'Start the survey', 'the start button')
  await page.keyboard.press('Enter')
  await page.locator('.govuk-error-summary').waitFor()
  await axeBothWidths(page, 'the start page with its error')
  await tabTo(page, f => f.id === 'understood', 'the confirmation')
  await page.keyboard.press('Space')
  await tabTo(page, f => f.text === 'Start the survey', 'the start button')
  await page.keyboard.press('Enter')
  await page.getByRole('button', { name: 'Send my answers' }).waitFor()
  await axeBothWidths(page, 'the survey form')

  const questions = await s.survey.questions(1)
  const scale = questions.filter(q => q.kind === 'scale')
  const text = questions.find(q => q.kind === 'text')!

  // sending it empty: every statement listed
  await tabTo(page, f => f.text === 'Send my answers', 'the send button')
  await page.keyboard.press('Enter')
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary__list li').count(), scale.length)
  await axeBothWidths(page, 'the survey form with its errors')
  assert.equal(
    Number(
      (
        await db
          .selectFrom('survey_responses')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    0,
  )

  // each statement: Tab into its radios, then the arrow keys to "Agree" (the 4th point)
  for (const q of scale) {
    await tabTo(page, f => f.id === `q${q.id}`, `statement ${q.code}`)
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown')
    assert.equal(await page.locator(`input[name="q${q.id}"]:checked`).getAttribute('value'), '4')
  }
  await tabTo(page, f => f.id === `q${text.id}`, 'the free-text question')
  await page.keyboard.type('Keyboard journey comment')
  await tabTo(page, f => f.text === 'Send my answers', 'the send button')
  await page.keyboard.press('Enter')
  await page.getByText('Your answers were sent').waitFor()
  await axeBothWidths(page, 'the thank-you page')

  const responses = await db.selectFrom('survey_responses').selectAll().execute()
  assert.equal(responses.length, 1)
  assert.equal(responses[0]!.role, 'KEY_WORKER')
  const answers = await db.selectFrom('survey_answers').selectAll().execute()
  assert.deepEqual(
    answers.filter(a => a.value !== null).map(a => a.value),
    scale.map(() => 4),
  )
  assert.deepEqual(
    answers.filter(a => a.answer_text !== null).map(a => a.answer_text),
    ['Keyboard journey comment'],
  )
  // and the home page no longer asks
  await page.goto('/')
  assert.equal(await page.getByText('A staff survey is open').count(), 0)
  await context.close()
})
