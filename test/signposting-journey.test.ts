import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { assertAxeClean, demoJourney } from './journey'

// A Key Worker's signposting journey in real Chromium, on the demo's directory: find a housing service by pathway,
// open it to see how to refer, then open the booklet and download its PDF. Every page passes axe.

const journey = await demoJourney({ seed: 11, prisonersPer: 60 })
before(() => journey.start())
after(() => journey.close())

it('a Key Worker finds a housing service by pathway, sees how to refer, and prints the booklet', async () => {
  const { context, page } = await journey.signedIn('keyworker')

  await page.getByRole('link', { name: 'Services' }).first().click()
  await page.waitForURL(url => url.pathname === '/directory')
  await page.getByLabel('Pathway').selectOption({ label: 'Accommodation' })
  await page.getByRole('button', { name: 'Search' }).click()
  await page.waitForURL(url => url.searchParams.get('pathway') === 'accommodation')
  await assertAxeClean(page, '/directory filtered by pathway')

  const results = page.locator('#directory-results h2 a')
  assert.ok((await results.count()) > 0, 'accommodation services are listed')
  const names = await results.allTextContents()
  const housing = names.find(n => /housing|accommodation/i.test(n))
  assert.ok(housing, `a housing service among ${names.join(', ')}`)
  await page.getByRole('link', { name: housing, exact: true }).click()
  await page.waitForURL(url => url.pathname.startsWith('/directory/services/'))
  const service = (await page.locator('main').textContent()) ?? ''
  assert.match(service, /Accommodation/)
  assert.match(service, /\d{3,5} ?\d{3} ?\d{3,4}/, 'a phone number to refer by')
  await assertAxeClean(page, 'the service page')

  await page.goto('/booklet')
  const booklet = (await page.locator('main').textContent()) ?? ''
  const pages = /PDF \((\d+) A5 pages?\)/.exec(booklet)
  assert.ok(pages, 'the booklet says how many pages it prints on')
  assert.ok(booklet.includes(housing), 'the local part lists the housing service')
  await assertAxeClean(page, '/booklet')

  const pdf = await page.request.get('/booklet.pdf')
  assert.equal(pdf.status(), 200)
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  const bytes = await pdf.body()
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
  assert.match(bytes.toString('latin1'), new RegExp(`/Count ${pages[1]}\\b`), 'the PDF has the pages the page said')
  await context.close()
})
