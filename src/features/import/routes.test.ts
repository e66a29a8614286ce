import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { UPLOAD_LIMIT_BYTES } from '../../app'
import { addUnits, fixture, prisonerCsv, uploadImport } from '../../../test/support/imports'

describe('CSV import page', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  before(async () => {
    world = await testWorld()
    await addUnits(world.services, world.est.MDI!, ['HB1', 'HB2'])
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  it('shows the upload form with the kinds, the file input and both options', async () => {
    const res = await admin.get('/import')
    assert.equal(res.status, 200)
    assert.match(res.text, /<title>Import from a CSV file - Key Work - GOV.UK<\/title>/)
    assert.match(res.text, /<h1 class="govuk-heading-l">Import from a CSV file<\/h1>/)
    // nothing chosen for the user: no kind, neither option ticked
    assert.doesNotMatch(res.text, /\bchecked\b/)
    assert.match(res.text, /enctype="multipart\/form-data"/)
    for (const kind of ['prisoners', 'staff', 'units']) assert.match(res.text, new RegExp(`value="${kind}"`))
    assert.match(res.text, /type="file"[^>]*name="file"|name="file"[^>]*type="file"/)
    assert.match(res.text, /Import the valid rows and skip the rest/)
    assert.match(res.text, /This file is the full roll: mark prisoners not in it as released/)
  })

  it('imports an uploaded file and shows the counts', async () => {
    const res = await uploadImport(admin, { name: 'roll.csv', bytes: fixture('prisoners-good.csv') })
    assert.equal(res.status, 303, res.text)
    assert.equal(res.headers.location, '/import/result')
    const page = await admin.get('/import/result')
    assert.equal(page.status, 200)
    assert.match(page.text, /<title>Import complete - Key Work - GOV.UK<\/title>/)
    assert.match(page.text, /Prisoners from roll\.csv/)
    assert.match(page.text, /href="\/prisoners">View prisoners</)
    assert.match(page.text, /Created\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5\s*</)
    assert.match(page.text, /not recognised and were ignored: Notes/)
    assert.ok(await world.services.prisoners.get(world.est.MDI!, 'A1003AA'))
    const [event] = await world.services.audit.recent({ establishmentId: world.est.MDI!, entity: 'import' }, 1)
    assert.equal(event?.username, 'establishment_admin.mdi')
  })

  it('says so when the same file is uploaded again: all unchanged', async () => {
    await uploadImport(admin, { name: 'roll.csv', bytes: fixture('prisoners-good.csv') })
    const page = await admin.get('/import/result')
    assert.match(page.text, /Unchanged\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5\s*</)
    assert.match(page.text, /Created\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*0\s*</)
  })

  it('imports nothing from a file with bad rows, listing each in the error summary and the table', async () => {
    const res = await uploadImport(admin, { name: 'bad.csv', bytes: fixture('prisoners-3-bad.csv') })
    assert.equal(res.status, 422)
    assert.match(res.text, /<title>Error: /)
    assert.match(res.text, /There is a problem/)
    assert.match(res.text, /href="#row-error-0">Row 3, prison_number: Enter a prison number in the format A1234BC/)
    assert.match(res.text, /href="#row-error-1">Row 5, date_of_birth: Date of birth must be a real date/)
    assert.match(res.text, /href="#row-error-2">Row 7, unit: HB9 is not a residential unit/)
    assert.match(res.text, /Nothing was imported/)
    assert.match(res.text, /3 of 7 rows in bad\.csv have errors \(3 errors\)/)
    assert.match(res.text, /id="row-error-2">\s*<td[^>]*>7<\/td>\s*<td[^>]*>unit<\/td>/)
    assert.match(res.text, /value="prisoners" checked/)
    assert.equal(await world.services.prisoners.get(world.est.MDI!, 'A2001BB'), undefined)
  })

  it('imports the valid rows and lists the skipped ones when asked to', async () => {
    const res = await uploadImport(
      admin,
      { name: 'bad.csv', bytes: fixture('prisoners-3-bad.csv') },
      { kind: 'prisoners', skipInvalid: 'yes' },
    )
    assert.equal(res.status, 303)
    const page = await admin.get('/import/result')
    assert.match(page.text, /Rows skipped\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</)
    assert.match(page.text, /Skipped rows/)
    assert.match(page.text, /HB9 is not a residential unit/)
    assert.ok(await world.services.prisoners.get(world.est.MDI!, 'A2001BB'))
  })

  it('marks prisoners missing from a full roll as released', async () => {
    const res = await uploadImport(
      admin,
      { name: 'full.csv', bytes: Buffer.from(prisonerCsv(2)) },
      { kind: 'prisoners', fullRoll: 'yes' },
    )
    assert.equal(res.status, 303)
    const page = await admin.get('/import/result')
    // five from the good file and four from the bad one
    assert.match(page.text, /Marked as released\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*9\s*</)
    assert.equal((await world.services.prisoners.get(world.est.MDI!, 'A1001AA'))?.status, 'released')
  })

  it('explains a file that cannot be used', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['empty.csv', fixture('empty.csv'), /The file is empty/],
      ['latin1.csv', fixture('prisoners-latin1.csv'), /The file must be saved as UTF-8 CSV/],
      ['missing.csv', fixture('prisoners-missing-columns.csv'), /missing required columns: &quot;Last name&quot;/],
      ['roll.xlsx', Buffer.from('PK'), /must be a CSV file/],
    ]
    for (const [name, bytes, message] of cases) {
      const res = await uploadImport(admin, { name, bytes })
      assert.equal(res.status, 422, name)
      assert.match(res.text, /There is a problem/, name)
      assert.match(res.text, message, name)
      assert.match(res.text, /href="#file"/, name)
    }
  })

  it('takes a CSV file whose name has a spreadsheet’s extension inside it', async () => {
    const res = await uploadImport(admin, { name: 'roll.xlsx.csv', bytes: fixture('prisoners-good.csv') })
    assert.equal(res.status, 303, res.text)
    assert.match((await admin.get('/import/result')).text, /Prisoners from roll\.xlsx\.csv/)
  })

  it('asks for a kind and a file when they are missing', async () => {
    const res = await uploadImport(admin, null, {})
    assert.equal(res.status, 422)
    assert.match(res.text, /href="#kind">Select what the file contains/)
    assert.match(res.text, /href="#file">Select a CSV file/)
  })

  it('imports residential units and staff through the same page', async () => {
    const unitsRes = await uploadImport(
      admin,
      { name: 'units.csv', bytes: fixture('units-good.csv') },
      { kind: 'units' },
    )
    assert.equal(unitsRes.status, 303, unitsRes.text)
    let page = await admin.get('/import/result')
    assert.match(page.text, /Residential units from units\.csv/)
    assert.match(page.text, /Created\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</)
    assert.match(page.text, /Updated\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2\s*</, 'capacities changed')
    assert.doesNotMatch(page.text, /Marked as released/)
    assert.match(page.text, /href="\/units"/)
    const staffRes = await uploadImport(
      admin,
      { name: 'staff.csv', bytes: fixture('staff-good.csv') },
      { kind: 'staff' },
    )
    assert.equal(staffRes.status, 303, staffRes.text)
    page = await admin.get('/import/result')
    assert.match(page.text, /Staff from staff\.csv/)
    assert.match(page.text, /href="\/staff">View staff</)
    assert.match(page.text, /Created\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s*</)
  })

  it('refuses a full roll of staff or units', async () => {
    const res = await uploadImport(
      admin,
      { name: 'staff.csv', bytes: Buffer.from('Staff number\n1\n') },
      { kind: 'staff', fullRoll: 'yes' },
    )
    assert.equal(res.status, 422)
    assert.match(res.text, /href="#fullRoll">A full roll is only for prisoners/)
  })

  it('gives the 413 page for a file over the upload limit, importing nothing', async () => {
    const big = Buffer.from(prisonerCsv(1) + 'x'.repeat(UPLOAD_LIMIT_BYTES))
    const res = await uploadImport(admin, { name: 'big.csv', bytes: big })
    assert.equal(res.status, 413)
    assert.match(res.text, /The file or form is too large/)
  })

  it('refuses an upload without the CSRF token', async () => {
    const res = await admin.agent
      .post('/import')
      .field('kind', 'prisoners')
      .attach('file', Buffer.from(prisonerCsv(1, { start: 500 })), 'x.csv')
    assert.equal(res.status, 403)
    assert.equal(await world.services.prisoners.get(world.est.MDI!, 'A0500AZ'), undefined)
  })

  it('is for establishment admins only: a Key Worker gets 403', async () => {
    const keyWorker = await signedIn(world, 'key_worker.mdi')
    assert.equal((await keyWorker.get('/import')).status, 403)
    assert.equal((await keyWorker.get('/import/result')).status, 403)
    const _csrf = await keyWorker.csrf('/prisoners')
    const res = await keyWorker.agent
      .post('/import')
      .field('_csrf', _csrf)
      .field('kind', 'prisoners')
      .attach('file', Buffer.from(prisonerCsv(1, { start: 600 })), 'x.csv')
    assert.equal(res.status, 403)
    assert.equal(await world.services.prisoners.get(world.est.MDI!, 'A0600AZ'), undefined)
  })

  it('shows another establishment’s admin no result of this one', async () => {
    const leeds = await signedIn(world, 'establishment_admin.lei')
    const page = await leeds.get('/import/result')
    assert.equal(page.status, 200)
    assert.match(page.text, /<title>No import to show - Key Work - GOV.UK<\/title>/)
  })
})
