import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import type { ImportKind } from '../import/kinds'
import type { ImportOutcome } from '../import/service'
import { addUnits } from '../../../test/support/imports'

// A field that fails its own check must not hide the rules between fields (zod skips refinements after a failure).
describe('a bad field does not hide the rules between fields: every problem in one pass', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let admin: Browser
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    await addUnits(world.services, mdi, ['HB1'])
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const errorsOf = async (kind: ImportKind, lines: string[]) => {
    const o: ImportOutcome = await world.services.imports.run(
      { userId: null, username: 'import-test', establishmentId: mdi },
      mdi,
      kind,
      Buffer.from(lines.join('\n')),
      { fileName: `${kind}.csv`, skipInvalid: false, fullRoll: false },
    )
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'rejected' }>).report.errors.map(e => [e.row, e.column, e.reason])
  }

  it('prisoner CSV: a bad date of birth and a release date before the reception date on one row', async () => {
    const errors = await errorsOf('prisoners', [
      'Prison number,First name,Last name,Date of birth,Residential unit,Reception date,Expected release date',
      'A7301AA,Ann,Able,31/02/1980,HB1,10/03/2024,09/03/2024',
      'A7302AA,Bob,Baker,1/1/1980,HB1,10/03/2024,',
    ])
    assert.deepEqual(errors, [
      [2, 'Date of birth', 'Date of birth must be a real date, like 27/3/2024'],
      [2, 'Expected release date', 'Expected release date must be after the reception date'],
    ])
    assert.equal(await world.services.prisoners.get(mdi, 'A7302AA'), undefined, 'all or nothing')
  })

  it('prisoner CSV: a bad release date and a date of birth after the reception date', async () => {
    const errors = await errorsOf('prisoners', [
      'Prison number,First name,Last name,Date of birth,Residential unit,Reception date,Expected release date',
      'A7303AA,Cat,Cole,11/03/2024,HB1,10/03/2024,32/13/2030',
    ])
    assert.deepEqual(errors, [
      [2, 'Date of birth', 'Date of birth must be before the reception date'],
      [2, 'Expected release date', 'Expected release date must be a real date, like 27/3/2024'],
    ])
  })

  it('staff CSV: a bad grade does not hide missing hours, a missing return date or a future start', async () => {
    const errors = await errorsOf('staff', [
      'Staff number,Surname,Forename,Band,Working pattern,Hours,Status,Return date,Started in post',
      'SN30001,Ali,Omar,Band 9,part time,,annual leave,,01/01/2099',
    ])
    assert.deepEqual(errors, [
      [2, 'Band', 'Grade must be one of: Band 3, Band 4, Band 5'],
      [2, 'Hours', 'Enter weekly hours for part-time staff'],
      [2, 'Return date', 'Enter the date they return from annual leave'],
      [2, 'Started in post', 'Date started in post must be today or in the past'],
    ])
  })

  it('prisoner form: both errors in the error summary, nothing saved', async () => {
    const res = await admin.post(
      '/prisoners/new',
      {
        prisonNumber: 'A7304AA',
        firstName: 'Dan',
        lastName: 'Dale',
        'dateOfBirth-day': '3',
        'dateOfBirth-month': '13',
        'dateOfBirth-year': '1990',
        'receptionDate-day': '10',
        'receptionDate-month': '3',
        'receptionDate-year': '2024',
        'releaseDate-day': '9',
        'releaseDate-month': '3',
        'releaseDate-year': '2024',
        status: 'in',
        complexity: 'low',
        firstLanguage: 'en',
        interpreterNeeded: 'no',
      },
      '/prisoners/new',
    )
    assert.equal(res.status, 303)
    const form = await admin.get('/prisoners/new')
    const summary = /govuk-error-summary__list[^>]*>([\s\S]*?)<\/ul>/.exec(form.text)?.[1] ?? ''
    const items = [...summary.matchAll(/<a href="#([^"]+)">\s*([^<]*?)\s*<\/a>/g)].map(m => [m[1], m[2]])
    assert.deepEqual(items, [
      ['dateOfBirth', 'Date of birth must be a real date, like 27/3/2024'],
      ['releaseDate', 'Expected release date must be after the reception date'],
    ])
    assert.equal(await world.services.prisoners.get(mdi, 'A7304AA'), undefined)
  })
})
