import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { addUnits, prisonerCsv, uploadImport } from '../../../test/support/imports'

// The import page at its limits: how many errors the summary links to and the table shows, the words for one and
// for many, which option is blamed when two are wrong, spreadsheet files refused by their name, and a long file
// name cut. The numbers are written out here, not read from the routes' constants.

const HEAD = 'Prison number,First name,Last name,Date of birth,Reception date'
/** n rows, each with a date of birth that is not a date: one error a row */
const badRows = (n: number, start = 0) =>
  Array.from({ length: n }, (_, i) => `A${String(start + i).padStart(4, '0')}BZ,A,B,not a date,2024-01-01`)

describe('CSV import page: limits and words', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  before(async () => {
    world = await testWorld()
    await addUnits(world.services, world.est.MDI!, ['HB1', 'HB2'])
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const upload = (name: string, text: string, fields: Record<string, string> = { kind: 'prisoners' }) =>
    uploadImport(admin, { name, bytes: Buffer.from(text) }, fields)
  const count = (text: string, re: RegExp) => (text.match(re) ?? []).length

  it('2,001 bad rows: the summary links to the first 100, the table shows the first 2,000', async () => {
    const res = await upload('big.csv', [HEAD, ...badRows(2001)].join('\n'))
    assert.equal(res.status, 422)
    assert.equal(count(res.text, /href="#row-error-\d+"/g), 100)
    assert.match(res.text, /href="#row-error-99">Row 101, Date of birth: /)
    assert.doesNotMatch(res.text, /href="#row-error-100"/)
    assert.equal(count(res.text, /<tr class="govuk-table__row" id="row-error-\d+">/g), 2000)
    assert.match(res.text, /id="row-error-1999">\s*<td[^>]*>2001<\/td>/)
    assert.doesNotMatch(res.text, /id="row-error-2000"/)
    assert.match(res.text, /2,001 of 2,001 rows in big\.csv have errors \(2,001 errors\)/)
    assert.match(res.text, /The first 2,000 errors are shown/)
    assert.match(res.text, /2,000 errors in big\.csv/)
  })

  it('exactly 2,000 bad rows are all shown, with no "first" line', async () => {
    const res = await upload('two-thousand.csv', [HEAD, ...badRows(2000)].join('\n'))
    assert.equal(res.status, 422)
    assert.equal(count(res.text, /<tr class="govuk-table__row" id="row-error-\d+">/g), 2000)
    assert.doesNotMatch(res.text, /errors are shown/)
  })

  it('one bad row of one: the singular throughout', async () => {
    const res = await upload('one.csv', [HEAD, ...badRows(1)].join('\n'))
    assert.equal(res.status, 422)
    assert.match(res.text, /1 of 1 row in one\.csv has errors \(1 error\)/)
    assert.match(res.text, /1 error in one\.csv/)
  })

  it('skipping 2,001 bad rows: the result page shows 2,000 of them and says how many there were', async () => {
    const good = prisonerCsv(1, { start: 900 }).split('\n')[1]!
    const text = [
      'Prison number,First name,Last name,Date of birth,Residential unit,Cell,Reception date,First language',
      good,
      ...badRows(2001, 3000).map(r => r.replace(',not a date,2024-01-01', ',not a date,HB1,1-01,2024-01-01,English')),
    ].join('\n')
    const res = await upload('mostly-bad.csv', text, { kind: 'prisoners', skipInvalid: 'yes' })
    assert.equal(res.status, 303, res.text.slice(0, 500))
    const page = await admin.get('/import/result')
    assert.match(page.text, /Rows skipped\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2,001\s*</)
    assert.match(page.text, /The first 2,000 of 2,001 errors are shown/)
    assert.equal(count(page.text, /<tr class="govuk-table__row" id="row-error-\d+">/g), 2000)
  })

  it('a spreadsheet is refused by its name, in any case; a CSV with another extension is read', async () => {
    for (const name of ['roll.XLSX', 'roll.xls', 'roll.ods', 'roll.numbers']) {
      const res = await upload(name, [HEAD, ...badRows(1)].join('\n'))
      assert.equal(res.status, 422, name)
      assert.match(res.text, /href="#file">The selected file must be a CSV file/, name)
      assert.doesNotMatch(res.text, /Nothing was imported/, name)
    }
    const txt = await upload('roll.txt', [HEAD, ...badRows(1)].join('\n'))
    assert.equal(txt.status, 422)
    assert.match(txt.text, /Nothing was imported/)
  })

  it('a full roll without a kind blames only the kind; with staff, only the full roll', async () => {
    const noKind = await upload('x.csv', 'a\n1\n', { fullRoll: 'yes' })
    assert.equal(noKind.status, 422)
    assert.match(noKind.text, /href="#kind">Select what the file contains/)
    assert.doesNotMatch(noKind.text, /href="#fullRoll"/)
    const staff = await upload('x.csv', 'a\n1\n', { kind: 'staff', fullRoll: 'yes' })
    assert.equal(staff.status, 422)
    assert.match(staff.text, /href="#fullRoll">A full roll is only for prisoners: untick it, or choose prisoners/)
    assert.doesNotMatch(staff.text, /href="#kind"/)
  })

  it('two problems with the headings are one message under the file input, and the rows are still listed', async () => {
    const res = await upload(
      'headings.csv',
      'NOMS id,Prison number,First name,Last name,Date of birth\nA1234BC,A1234BC,A,B,not a date\n',
    )
    assert.equal(res.status, 422)
    assert.match(res.text, /href="#file">The file is missing a required column: &quot;Reception date&quot;</)
    assert.match(res.text, /href="#file">The columns &quot;NOMS id&quot; and &quot;Prison number&quot; both give/)
    assert.match(
      res.text,
      /The file is missing a required column: &quot;Reception date&quot;\. The columns &quot;NOMS id&quot;/,
    )
    assert.match(res.text, /href="#row-error-0">Row 2, Date of birth: /)
  })

  it('under the file input, a message loses its full stop (the summary keeps it)', async () => {
    const res = await upload('blank.csv', ' \n')
    assert.equal(res.status, 422)
    assert.match(res.text, /href="#file">The file is empty\. Upload a CSV file with a row of column headings\.</)
    assert.match(
      res.text,
      /<span class="govuk-visually-hidden">Error:<\/span> The file is empty\. Upload a CSV file with a row of column headings\s*</,
    )
  })

  it('wrong headings with good rows show no table of row errors', async () => {
    const res = await upload(
      'headings.csv',
      'Prison number,First name,Last name,Date of birth\nA1234BC,A,B,1990-01-01\n',
    )
    assert.equal(res.status, 422)
    assert.doesNotMatch(res.text, /Nothing was imported/)
    assert.doesNotMatch(res.text, /row-error-0/)
  })

  it('every kind is offered by its name, and the result links to where the records are', async () => {
    const form = await admin.get('/import')
    for (const [value, name] of [
      ['prisoners', 'Prisoners'],
      ['staff', 'Staff'],
      ['units', 'Residential units'],
      ['allocations', 'Key Worker allocations'],
      ['sessions', 'Past key work sessions'],
    ])
      assert.match(form.text, new RegExp(`value="${value}"[^>]*>\\s*<label[^>]*>\\s*${name}\\s*</label>`), value)
  })

  it('a file name is kept to its first 200 characters', async () => {
    const name = `${'r'.repeat(250)}.csv`
    const res = await upload(name, prisonerCsv(1, { start: 950 }))
    assert.equal(res.status, 303, res.text.slice(0, 300))
    const page = await admin.get('/import/result')
    assert.match(page.text, new RegExp(`Prisoners from ${'r'.repeat(200)}\\s*<`))
    assert.match(page.text, /href="\/prisoners"/)
  })
})
