import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../test/harness'
import type { Actor } from '../../platform/audit/service'
import type { ImportOptions, ImportOutcome, ImportReport } from './service'
import { addUnits, prisonerCsv } from '../../../test/support/imports'

// What an import tells the person who ran it and what it leaves in the audit trail: the 'import' event's every
// field, the warnings' singular and plural, and the outcomes at the edges (every row bad, headings and rows both
// wrong). Each expected value is written out here.

describe('an import: its report, its warnings and its audit event', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let actor: Actor
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    actor = { userId: null, username: 'outcomes-test', establishmentId: mdi }
    await addUnits(world.services, mdi, ['HB1', 'HB2'])
  })
  after(() => world.close())

  const run = (text: string, opts: Partial<ImportOptions> = {}, kind: 'prisoners' | 'units' = 'prisoners') =>
    world.services.imports.run(actor, mdi, kind, Buffer.from(text), {
      fileName: 'roll.csv',
      skipInvalid: false,
      fullRoll: false,
      ...opts,
    })
  const reportOf = (o: ImportOutcome, status: ImportOutcome['status']): ImportReport => {
    assert.equal(o.status, status, JSON.stringify(o))
    assert.ok('report' in o && o.report)
    return o.report
  }
  const importEvents = async () => {
    const rows = await world.services.db.db
      .selectFrom('audit_events')
      .select(['action', 'entity_id', 'establishment_id', 'username', 'changes'])
      .where('entity', '=', 'import')
      .orderBy('id')
      .execute()
    return rows.map(r => ({ ...r, changes: JSON.parse(r.changes ?? 'null') as unknown }))
  }
  const prisonerCount = async () =>
    Number(
      (
        await world.services.db.db
          .selectFrom('prisoners')
          .select(eb => eb.fn.countAll().as('n'))
          .where('establishment_id', '=', mdi)
          .executeTakeFirstOrThrow()
      ).n,
    )

  it("records one 'import' event naming the file, its rows, each count and both options", async () => {
    const before = (await importEvents()).length
    // 3 good rows, a blank line (not a row) and one row with a bad date, skipped
    const csv = prisonerCsv(3, { start: 10 }) + '\nA0013AZ,Name13,Surname13,not a date,HB1,1-01,2024-01-01,English\n'
    const r = reportOf(await run(csv, { fileName: 'wing roll.csv', skipInvalid: true }), 'imported')
    assert.equal(r.rows, 4)
    assert.equal(r.fileName, 'wing roll.csv')
    assert.equal(r.fullRoll, false)
    assert.deepEqual(r.counts, { created: 3, updated: 0, unchanged: 0, released: 0, skipped: 1 })
    const events = (await importEvents()).slice(before)
    assert.deepEqual(events, [
      {
        action: 'import',
        entity_id: 'prisoners',
        establishment_id: mdi,
        username: 'outcomes-test',
        changes: {
          file: 'wing roll.csv',
          rows: 4,
          created: 3,
          updated: 0,
          unchanged: 0,
          released: 0,
          skipped: 1,
          fullRoll: false,
          skipInvalid: true,
        },
      },
    ])
  })

  it('two errors on one row skip one row', async () => {
    const csv = prisonerCsv(1, { start: 20 }) + 'A0021AZ,,Surname21,not a date,HB1,1-01,2024-01-01,English\n'
    const r = reportOf(await run(csv, { skipInvalid: true }), 'imported')
    assert.equal(r.errors.length, 2)
    assert.deepEqual(r.counts, { created: 1, updated: 0, unchanged: 0, released: 0, skipped: 1 })
  })

  it('with "skip invalid rows", a file whose every row is bad is rejected: nothing saved, no import event', async () => {
    const before = { events: (await importEvents()).length, prisoners: await prisonerCount() }
    const csv =
      'Prison number,First name,Last name,Date of birth,Reception date\n' +
      'A0031AZ,A,B,not a date,2024-01-01\n' +
      'A0032AZ,A,B,1990-01-01,never\n'
    const r = reportOf(await run(csv, { skipInvalid: true }), 'rejected')
    assert.deepEqual(
      r.errors.map(e => [e.row, e.column]),
      [
        [2, 'Date of birth'],
        [3, 'Reception date'],
      ],
    )
    assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 0, released: 0, skipped: 0 })
    assert.deepEqual({ events: (await importEvents()).length, prisoners: await prisonerCount() }, before)
  })

  it('without it, one bad row rejects the file: the good rows are not saved', async () => {
    const before = { events: (await importEvents()).length, prisoners: await prisonerCount() }
    const csv = prisonerCsv(2, { start: 40 }) + 'A0042AZ,A,B,not a date,HB1,1-01,2024-01-01,English\n'
    const r = reportOf(await run(csv), 'rejected')
    assert.deepEqual(
      r.errors.map(e => e.row),
      [4],
    )
    assert.deepEqual({ events: (await importEvents()).length, prisoners: await prisonerCount() }, before)
  })

  it('wrong headings are a problem with the file, and the rows are still checked in the columns read', async () => {
    const before = await prisonerCount()
    const o = await run('Prison number,First name,Date of birth,Reception date\nA0051AZ,A,not a date,2024-01-01\n')
    assert.equal(o.status, 'file-problem')
    assert.deepEqual(o.status === 'file-problem' && o.messages, ['The file is missing a required column: "Last name"'])
    const r = reportOf(o, 'file-problem')
    assert.deepEqual(
      r.errors.map(e => [e.row, e.column]),
      [[2, 'Date of birth']],
    )
    assert.equal(r.rows, 1)
    assert.equal(await prisonerCount(), before)
  })

  describe('a full roll with skipped rows: the warnings', () => {
    it('two prisoners on skipped rows: "were", in the plural', async () => {
      await run(prisonerCsv(4, { start: 300 }))
      const csv = prisonerCsv(4, { start: 300 })
        .replace('A0301AZ,Name301,Surname301,', 'A0301AZ,Name301,Surname301,not a date')
        .replace('A0302AZ,Name302,Surname302,', 'A0302AZ,Name302,Surname302,not a date')
      const r = reportOf(await run(csv, { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, ['2 prisoners on skipped rows were not marked as released.'])
      assert.equal(r.counts.skipped, 2)
    })

    it('one row without a prison number: "it"', async () => {
      const csv = prisonerCsv(2, { start: 450 }).replace('A0451AZ', '')
      const r = reportOf(await run(csv, { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, [
        'Nobody was marked as released: 1 row without a valid prison number (row 3) could be any prisoner. ' +
          'Fix it and import the full roll again.',
      ])
    })

    it('two rows without a prison number: both listed, "them"', async () => {
      const csv = prisonerCsv(3, { start: 400 }).replace('A0401AZ', 'A04').replace('A0402AZ', '')
      const r = reportOf(await run(csv, { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, [
        'Nobody was marked as released: 2 rows without a valid prison number (rows 3, 4) could be any prisoner. ' +
          'Fix them and import the full roll again.',
      ])
      assert.equal(r.counts.released, 0)
    })

    it('eleven such rows: ten listed, "and more"', async () => {
      let csv = prisonerCsv(12, { start: 500 })
      for (let k = 501; k <= 511; k++) csv = csv.replace(`A0${k}AZ`, `X${k}`)
      const r = reportOf(await run(csv, { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, [
        'Nobody was marked as released: 11 rows without a valid prison number ' +
          '(rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and more) could be any prisoner. ' +
          'Fix them and import the full roll again.',
      ])
      assert.equal(r.counts.skipped, 11)
    })

    it('exactly ten such rows: all ten listed, nothing after them', async () => {
      let csv = prisonerCsv(11, { start: 700 })
      for (let k = 701; k <= 710; k++) csv = csv.replace(`A0${k}AZ`, `X${k}`)
      const r = reportOf(await run(csv, { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, [
        'Nobody was marked as released: 10 rows without a valid prison number ' +
          '(rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) could be any prisoner. Fix them and import the full roll again.',
      ])
    })

    it('a full roll with no bad rows gives no warning', async () => {
      const r = reportOf(await run(prisonerCsv(2, { start: 600 }), { fullRoll: true, skipInvalid: true }), 'imported')
      assert.deepEqual(r.warnings, [])
    })
  })
})
