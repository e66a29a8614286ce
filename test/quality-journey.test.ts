import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Page } from 'playwright-core'
import { allocateDemo } from '../src/demo/cli'
import { assertAxeClean, demoJourney } from './journey'

// Quality assurance end to end in real Chromium, on the demo's Leeds: a Key Worker writes an entry, uses "Check my
// entry" and sees a hint, and submits it; the Supervising Officer draws the month's sample, which takes the entry,
// reviews it (a score per criterion, feedback) and commends it; the Key Worker reads the feedback, acknowledges it
// and replies with the keyboard; the quality dashboard counts the review and the commendation. Every page passes axe
// at 1,280 px and at 390 px, where it also fits without scrolling sideways.

const journey = await demoJourney({ seed: 4, prisonersPer: 60 })
before(async () => {
  await journey.start()
  await allocateDemo(journey.services)
})
after(() => journey.close())

/** Pages that scroll sideways on a phone, reported together at the end of the journey. */
const tooWide: string[] = []

/** Axe at 1,280 px, then at 390 px (no sideways scroll either), then back to 1,280 px. */
async function checkBothWidths(page: Page, what: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await assertAxeClean(page, `${what} at 1,280 px`)
  await page.setViewportSize({ width: 390, height: 844 })
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number
  if (width > 390) {
    // the outermost elements that reach past the screen's edge, to say what to fix
    const wide = (await page.evaluate(`[...document.querySelectorAll('main *')]
      .filter(e => e.getBoundingClientRect().right > 391 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > 391))
      .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''))`)) as string[]
    tooWide.push(`${what} is ${width} px wide on a 390 px screen, past the edge: ${wide.join(', ')}`)
  }
  await assertAxeClean(page, `${what} at 390 px`)
  await page.setViewportSize({ width: 1280, height: 800 })
}

/** The dashboard's figures for the current (last) month: entries reviewed and commendations. */
async function dashboardNow(page: Page) {
  await page.goto('/quality/dashboard')
  const reviewed = await page.locator('#reviews-table tbody tr').last().locator('td').nth(1).innerText()
  const commendations = await page.locator('#other-table tbody tr').last().locator('td').nth(4).innerText()
  return { reviewed: reviewed.trim(), commendations: commendations.trim() }
}

const focusedId = (page: Page) => page.evaluate('document.activeElement?.id ?? ""') as Promise<string>
const focusedText = (page: Page) =>
  page.evaluate('document.activeElement?.textContent?.trim() ?? ""') as Promise<string>

async function tabUntil(page: Page, check: () => Promise<boolean>, what: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await check()) return
  }
  assert.fail(`could not reach ${what} with the Tab key`)
}

it('a Key Worker checks and submits an entry; the SO samples, reviews and commends it; the officer replies', async () => {
  const db = journey.services.db.db

  // The Key Worker records a session with a man on their caseload.
  const kw = await journey.signedIn('keyworker')
  await kw.page.goto('/caseload')
  await kw.page
    .getByRole('link', { name: /^Record a session/ })
    .first()
    .click()
  await kw.page.waitForURL(url => /^\/prisoners\/[^/]+\/sessions\/new$/.test(url.pathname))
  await kw.page.getByRole('button', { name: 'Start recording' }).click()
  await kw.page.waitForURL(url => /^\/sessions\/\d+\/edit$/.test(url.pathname))
  const sessionId = Number(/\/sessions\/(\d+)\/edit/.exec(kw.page.url())![1])
  await checkBothWidths(kw.page, 'the entry form')

  await kw.page.getByLabel('Yes, delivered').check()
  await kw.page.getByLabel('How long (minutes)').fill('45')
  await kw.page.locator('input[name="location"]').first().check()
  await kw.page.locator('input[name="private"][value="yes"]').check()
  await kw.page.locator('input[name="interpreterNeeded"][value="no"]').check()
  await kw.page.getByLabel('Accommodation').check()
  await kw.page.locator('#prisonerWords').fill('Spoke to him, all fine.')

  // "Check my entry" (without waiting for the script): a hint about the entry as typed
  await kw.page.getByRole('button', { name: 'Check my entry' }).click()
  await kw.page.waitForURL(url => url.searchParams.get('check') === '1')
  const hints = kw.page.locator('.app-entry-check__hint')
  assert.ok((await hints.count()) > 0, 'the check gives at least one hint')
  const hintText = (await hints.allInnerTexts()).join('\n')
  assert.match(hintText, /Accommodation|accommodation|own words|agreed/i)
  await checkBothWidths(kw.page, 'the entry form with hints')

  // The officer takes a hint or two and submits (hints never block)
  await kw.page
    .locator('#prisonerWords')
    .fill('He said: “I have nowhere to live when I get out and I am worried about it.”')
  await kw.page
    .locator('#agreed')
    .fill('I will refer him to the housing advice service this week; we will review it at the next session.')
  await kw.page.getByRole('button', { name: 'Submit entry' }).click()
  await kw.page.waitForURL(url => url.pathname === `/sessions/${sessionId}`)
  const submitted = await db
    .selectFrom('key_work_sessions')
    .select(['status', 'precheck'])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow()
  assert.equal(submitted.status, 'submitted')
  assert.ok(submitted.precheck, 'the pre-check is stored with the entry')

  // The Supervising Officer: the dashboard before, then the month's sample drawn so far takes the entry.
  const so = await journey.signedIn('supervisor')
  const before = await dashboardNow(so.page)
  await checkBothWidths(so.page, 'the quality dashboard')
  await so.page.goto('/quality/queue')
  await so.page.getByRole('button', { name: /^Draw the sample of .* so far$/ }).click()
  await so.page.waitForURL(url => url.pathname === '/quality/queue')
  const sample = await db
    .selectFrom('qa_samples')
    .select(['id', 'status'])
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  assert.ok(sample, 'the entry is sampled')
  assert.equal(sample.status, 'due')
  await checkBothWidths(so.page, 'the queue')

  await so.page.locator(`a[href="/quality/reviews/new?sample=${sample.id}"]`).click()
  await so.page.waitForURL(url => url.pathname === '/quality/reviews/new')
  await checkBothWidths(so.page, 'the review form')
  const names = await so.page
    .locator('input[type="radio"][name^="score-"]')
    .evaluateAll(els => [...new Set(els.map(e => e.getAttribute('name')!))])
  assert.ok(names.length >= 9, `a score for each criterion (${names.length})`)
  for (const [i, name] of names.entries())
    await so.page.locator(`input[name="${name}"][value="${i % 3 === 0 ? 2 : 3}"]`).check()
  await so.page.locator('input[name="overall"][value="3"]').check()
  await so.page.getByLabel('What was good').fill('You recorded what he said in his own words and a clear referral.')
  await so.page.getByLabel('One thing to do differently').fill('Set a SMART goal with him about housing.')
  await so.page.getByRole('button', { name: 'Save the review' }).click()
  await so.page.waitForURL(url => url.pathname === '/quality/review')
  await checkBothWidths(so.page, 'the review')
  const review = await db
    .selectFrom('qa_reviews')
    .select(['id', 'overall_score', 'sample_id'])
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  assert.deepEqual([review.overall_score, review.sample_id], [3, sample.id])
  const scores = await db.selectFrom('qa_review_scores').select('score').where('review_id', '=', review.id).execute()
  assert.equal(scores.length, names.length)

  await so.page.getByRole('link', { name: 'Commend this entry' }).click()
  await so.page.waitForURL(url => url.pathname === '/quality/commend')
  await checkBothWidths(so.page, 'the commendation form')
  await so.page.getByLabel('What you are commending').fill('A clear entry in his own words with a real referral.')
  await so.page.getByRole('button', { name: 'Send the commendation' }).click()
  await so.page.waitForURL(url => url.pathname === '/quality/reviews')
  await checkBothWidths(so.page, 'the reviews and commendations')

  // The dashboard moves: one more entry reviewed and one more commendation this month.
  const after = await dashboardNow(so.page)
  assert.equal(Number(after.reviewed), Number(before.reviewed) + 1, `${before.reviewed} then ${after.reviewed}`)
  assert.equal(
    Number(after.commendations),
    Number(before.commendations) + 1,
    `${before.commendations} then ${after.commendations}`,
  )

  // The Key Worker reads the feedback, acknowledges it and replies, with the keyboard.
  await kw.page.goto('/my-feedback')
  await checkBothWidths(kw.page, 'my feedback')
  assert.match(await kw.page.locator('main').innerText(), /A clear entry in his own words/)
  await kw.page.locator(`a[href="/my-feedback/review?id=${review.id}"]`).click()
  await kw.page.waitForURL(url => url.pathname === '/my-feedback/review')
  assert.match(await kw.page.locator('main').innerText(), /Set a SMART goal with him about housing/)
  await checkBothWidths(kw.page, 'the feedback on the entry')
  await kw.page.getByRole('button', { name: 'I have read this feedback' }).click()
  await kw.page.waitForURL(url => url.pathname === '/my-feedback/review')
  await tabUntil(kw.page, async () => (await focusedId(kw.page)) === 'reply', 'the reply')
  await kw.page.keyboard.type('Thank you. I will set a housing goal with him next week.')
  await tabUntil(kw.page, async () => (await focusedText(kw.page)) === 'Send reply', 'Send reply')
  await Promise.all([
    kw.page.waitForURL(url => url.pathname === '/my-feedback/review'),
    kw.page.keyboard.press('Enter'),
  ])
  assert.match(await kw.page.locator('main').innerText(), /You replied on/)
  await checkBothWidths(kw.page, 'the feedback with the reply')
  const replied = await db
    .selectFrom('qa_reviews')
    .select(['read_at', 'acknowledged_at', 'reply'])
    .where('id', '=', review.id)
    .executeTakeFirstOrThrow()
  assert.ok(replied.read_at && replied.acknowledged_at)
  assert.equal(replied.reply, 'Thank you. I will set a housing goal with him next week.')

  await kw.context.close()
  await so.context.close()
  assert.deepEqual(tooWide, [], 'every page fits a 390 px screen')
})
