import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { testWorld } from '../../../test/harness'
import type { Actor } from '../../platform/audit/service'
import { MAX_ROWS, NOT_UTF8 } from './csv'
import type { ImportOptions, ImportOutcome } from './service'
import { addUnits, fixture, prisonerCsv } from '../../../test/support/imports'

describe('CSV import of prisoners (service)', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let lei: number
  let actor: Actor
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    lei = world.est.LEI!
    actor = { userId: null, username: 'import-test', establishmentId: mdi }
    await addUnits(world.services, mdi, ['HB1', 'HB2'])
    await addUnits(world.services, lei, ['HB1', 'HB9'])
  })
  after(() => world.close())

  const run = (bytes: Uint8Array | string, opts: Partial<ImportOptions> = {}, est = mdi) =>
    world.services.imports.run(
      { ...actor, establishmentId: est },
      est,
      'prisoners',
      typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
      { fileName: 'test.csv', skipInvalid: false, fullRoll: false, ...opts },
    )
  const imported = (o: ImportOutcome) => {
    assert.equal(o.status, 'imported', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'imported' }>).report
  }
  const rejected = (o: ImportOutcome) => {
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'rejected' }>).report
  }
  const problem = (o: ImportOutcome) => {
    assert.equal(o.status, 'file-problem', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'file-problem' }>).messages.join('\n')
  }
  const prisoner = (number: string, est = mdi) => world.services.prisoners.get(est, number)
  const auditCount = async () =>
    Number(
      (
        await world.services.db.db
          .selectFrom('audit_events')
          .select(eb => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('imports a good file, mapping aliased headings, and audits each record and the import', async () => {
    const before = await auditCount()
    const r = imported(await run(fixture('prisoners-good.csv'), { fileName: 'prisoners-good.csv' }))
    assert.deepEqual(r.counts, { created: 5, updated: 0, unchanged: 0, released: 0, skipped: 0 })
    assert.deepEqual(r.ignoredColumns, ['Notes'])
    assert.deepEqual(r.errors, [])

    const kowalski = await prisoner('A1002AA')
    assert.ok(kowalski)
    assert.equal(kowalski.last_name, 'Kowalski')
    assert.equal(kowalski.date_of_birth, '1990-04-03')
    assert.equal(kowalski.release_date, '2031-05-16')
    assert.equal(kowalski.first_language, 'pl')
    assert.equal(kowalski.interpreter_needed, 1)
    assert.equal(kowalski.unit_code, 'HB1')
    assert.equal((await prisoner('A1003AA'))?.unit_code, 'HB2', 'unit codes match whatever their case')
    assert.equal((await prisoner('A1004AA'))?.first_name, 'Patrick "Paddy"', 'quoted values with quotes inside')
    const jones = await prisoner('A1005AA')
    assert.equal(jones?.unit_id, null, 'an empty unit is no unit')
    assert.equal(jones?.date_of_birth, '2001-06-30')
    assert.equal(jones?.first_language, 'cy')

    assert.equal(await auditCount(), before + 6, 'five creates and one import event')
    const [event] = await world.services.audit.recent({ establishmentId: mdi, entity: 'import' }, 1)
    assert.equal(event?.action, 'import')
    assert.equal(event?.entity_id, 'prisoners')
    assert.equal(event?.username, 'import-test')
    assert.deepEqual(JSON.parse(event?.changes ?? '{}'), {
      file: 'prisoners-good.csv',
      rows: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      released: 0,
      skipped: 0,
      fullRoll: false,
      skipInvalid: false,
    })
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await auditCount()
    const r = imported(await run(fixture('prisoners-good.csv')))
    assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 5, released: 0, skipped: 0 })
    assert.equal(await auditCount(), before + 1, 'only the import event')
  })

  it('reads a file with a byte order mark and Windows line endings the same way', async () => {
    const text = fixture('prisoners-good.csv').toString('utf8').replace(/\n/g, '\r\n')
    const r = imported(await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))
    assert.equal(r.counts.unchanged, 5)
  })

  it('updates what changed and says so', async () => {
    const text = fixture('prisoners-good.csv').toString('utf8').replace('A1001AA,Smith,John', 'A1001AA,Smith,Jon')
    const r = imported(await run(text))
    assert.deepEqual(r.counts, { created: 0, updated: 1, unchanged: 4, released: 0, skipped: 0 })
    assert.equal((await prisoner('A1001AA'))?.first_name, 'Jon')
  })

  it('imports nothing from a file with 3 bad rows and reports each with its row and column', async () => {
    const before = await auditCount()
    const r = rejected(await run(fixture('prisoners-3-bad.csv')))
    assert.deepEqual(
      r.errors.map(e => [e.row, e.column]),
      [
        [3, 'prison_number'],
        [5, 'date_of_birth'],
        [7, 'unit'],
      ],
    )
    assert.match(r.errors[0]!.reason, /format A1234BC/)
    assert.match(r.errors[1]!.reason, /real date/)
    assert.match(r.errors[2]!.reason, /HB9 is not a residential unit of this establishment; use one of: HB1, HB2/)
    assert.equal(r.rows, 7)
    assert.equal(await prisoner('A2001BB'), undefined)
    assert.equal(await auditCount(), before, 'nothing written, not even an import event')
  })

  it('with skipInvalid, imports the good rows and reports the rest', async () => {
    const r = imported(await run(fixture('prisoners-3-bad.csv'), { skipInvalid: true }))
    assert.deepEqual(r.counts, { created: 4, updated: 0, unchanged: 0, released: 0, skipped: 3 })
    assert.deepEqual(
      r.errors.map(e => e.row),
      [3, 5, 7],
    )
    for (const n of ['A2001BB', 'A2003BB', 'A2005BB', 'A2007BB']) assert.ok(await prisoner(n), n)
    for (const n of ['A2004BB', 'A2006BB']) assert.equal(await prisoner(n), undefined, n)
  })

  it('reports every error on a row and keeps to the order of the columns', async () => {
    const r = rejected(
      await run('Last name,First name,Prison number,Date of birth,Reception date\n,Ann,X1,1990-13-01,2024-01-01\n'),
    )
    assert.deepEqual(
      r.errors.map(e => [e.row, e.column]),
      [
        [2, 'Last name'],
        [2, 'Prison number'],
        [2, 'Date of birth'],
      ],
    )
  })

  it('rejects the same prison number on two rows, naming both rows', async () => {
    const r = rejected(await run(prisonerCsv(3) + prisonerCsv(1).split('\n')[1]!.replace('Name0', 'Other') + '\n'))
    assert.deepEqual(
      r.errors.map(e => [e.row, e.column]),
      [
        [2, 'Prison number'],
        [5, 'Prison number'],
      ],
    )
    assert.match(r.errors[0]!.reason, /A0000AZ is on more than one row \(rows 2, 5\)/)
  })

  it('checks units against this establishment only', async () => {
    const r = rejected(await run(prisonerCsv(2, { units: ['HB9'] })))
    assert.equal(r.errors.length, 2)
    assert.equal(r.errors[0]!.column, 'Residential unit')
    imported(await run(prisonerCsv(2, { units: ['HB9'], start: 9000 }), {}, lei))
  })

  it('full roll: marks the establishment’s prisoners missing from the file as released, nobody else', async () => {
    const leiBefore = await prisoner('A9000AZ', lei)
    assert.equal(leiBefore?.status, 'in')
    const roll = fixture('prisoners-good.csv')
      .toString('utf8')
      .split('\n')
      .filter(l => !l.startsWith('A1004AA') && !l.startsWith('a1005aa'))
      .join('\n')
    const before = await auditCount()
    const r = imported(await run(roll, { fullRoll: true }))
    // the four from the 3-bad file and two of the good file are missing
    assert.deepEqual(r.counts, { created: 0, updated: 1, unchanged: 2, released: 6, skipped: 0 })
    assert.equal((await prisoner('A1004AA'))?.status, 'released')
    assert.equal((await prisoner('A2001BB'))?.status, 'released')
    assert.equal((await prisoner('A1001AA'))?.status, 'in')
    assert.ok(await prisoner('A1004AA'), 'released, never deleted')
    assert.equal((await prisoner('A9000AZ', lei))?.status, 'in', 'another establishment is untouched')
    assert.equal(await auditCount(), before + 8, 'one update, six releases and one import event')
  })

  it('full roll with skipped rows never releases a prisoner named on a skipped row', async () => {
    await run(prisonerCsv(4, { start: 100 }))
    const csv = prisonerCsv(4, { start: 100 }).replace(
      'A0101AZ,Name101,Surname101,',
      'A0101AZ,Name101,Surname101,not a date',
    )
    const r = imported(await run(csv, { fullRoll: true, skipInvalid: true }))
    assert.equal(r.counts.skipped, 1)
    assert.equal((await prisoner('A0101AZ'))?.status, 'in')
    assert.match(r.warnings.join(), /1 prisoner on skipped rows was not marked as released/)
    assert.equal((await prisoner('A1001AA'))?.status, 'released', 'others missing from the roll are released')
  })

  it('full roll releases nobody when a skipped row has no usable prison number', async () => {
    await run(prisonerCsv(2, { start: 200 }))
    const csv = prisonerCsv(2, { start: 200 }).replace('A0201AZ', 'A02')
    const r = imported(await run(csv, { fullRoll: true, skipInvalid: true }))
    assert.equal(r.counts.released, 0)
    assert.match(r.warnings.join(), /Nobody was marked as released: 1 row without a valid prison number \(row 3\)/)
    assert.equal((await prisoner('A0100AZ'))?.status, 'in')
  })

  it('refuses a full roll of anything but prisoners', async () => {
    const o = await world.services.imports.run(actor, mdi, 'units', Buffer.from('a\n1\n'), {
      fileName: 'u.csv',
      skipInvalid: false,
      fullRoll: true,
    })
    assert.match(problem(o), /only for prisoners/)
  })

  it('gives a clear error for a file missing required columns', async () => {
    const msg = problem(await run(fixture('prisoners-missing-columns.csv')))
    assert.match(msg, /missing required columns: "Last name", "Date of birth"/)
  })

  it('gives a clear error for an empty file, a blank file and a file of headings only', async () => {
    assert.match(problem(await run(fixture('empty.csv'))), /The file is empty/)
    assert.match(problem(await run('\n \n\r\n')), /The file is empty/)
    assert.match(problem(await run(fixture('prisoners-header-only.csv'))), /column headings but no rows/)
  })

  it('refuses files that are not UTF-8: Latin-1, UTF-16 and binary', async () => {
    assert.equal(problem(await run(fixture('prisoners-latin1.csv'))), NOT_UTF8)
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(prisonerCsv(2), 'utf16le')])
    assert.equal(problem(await run(utf16)), NOT_UTF8)
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00])
    assert.equal(problem(await run(zip)), NOT_UTF8)
  })

  it('refuses a file with more than 100,000 rows', async () => {
    const header = 'Prison number,First name,Last name,Date of birth,Reception date\n'
    const text = header + 'A1234BC,A,B,1990-01-01,2024-01-01\n'.repeat(MAX_ROWS + 1)
    assert.match(problem(await run(text)), /100,001 rows; the most one file can have is 100,000/)
  })

  it('imports a 1,500 row roll, then re-imports it unchanged', async () => {
    const csv = prisonerCsv(1500, { start: 3000 })
    const first = imported(await run(csv))
    assert.equal(first.counts.created, 1500)
    const again = imported(await run(csv))
    assert.deepEqual(again.counts, { created: 0, updated: 0, unchanged: 1500, released: 0, skipped: 0 })
  })
})

describe('CSV import of prisoners: date rules and the save in one transaction', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    await addUnits(world.services, mdi, ['HB1'])
  })
  after(() => world.close())

  const HEADER =
    'Prison number,First name,Last name,Date of birth,Residential unit,Reception date,Expected release date'
  const run = (lines: string[]) =>
    world.services.imports.run(
      { userId: null, username: 'import-test', establishmentId: mdi },
      mdi,
      'prisoners',
      Buffer.from([HEADER, ...lines].join('\n')),
      { fileName: 'rules.csv', skipInvalid: false, fullRoll: false },
    )
  const errorsOf = (o: ImportOutcome) => {
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'rejected' }>).report.errors.map(e => [e.row, e.column, e.reason])
  }
  const count = async (table: 'prisoners' | 'audit_events') =>
    Number(
      (
        await world.services.db.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('rule: an expected release date before the reception date is refused', async () => {
    const errors = errorsOf(await run(['A7001AA,Ann,Able,1980-01-01,HB1,2024-03-10,2024-03-09']))
    assert.deepEqual(errors, [[2, 'Expected release date', 'Expected release date must be after the reception date']])
    // the same day is allowed (released the day they arrived)
    const o = await run(['A7001AA,Ann,Able,1980-01-01,HB1,2024-03-10,2024-03-10'])
    assert.equal(o.status, 'imported', JSON.stringify(o))
  })

  it('rule: a reception date in the future is refused', async () => {
    const errors = errorsOf(await run(['A7002AA,Bob,Baker,1980-01-01,HB1,2099-01-01,']))
    assert.equal(errors.length, 1, JSON.stringify(errors))
    assert.deepEqual(errors[0]!.slice(0, 2), [2, 'Reception date'])
    assert.match(String(errors[0]![2]), /must be today or in the past/)
    assert.equal(await world.services.prisoners.get(mdi, 'A7002AA'), undefined)
  })

  it('rule: an import that fails part-way through saving saves nothing (the save is inside the transaction)', async () => {
    // A row that passes validation but that the database refuses: a trigger set up for this test.
    const { db, dialect } = world.services.db
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_a7999 before insert on prisoners when new.prison_number = 'A7999ZZ'
        begin select raise(abort, 'refused by the test'); end`.execute(db)
    } else {
      await sql`create function refuse_a7999() returns trigger language plpgsql as $$
        begin if new.prison_number = 'A7999ZZ' then raise exception 'refused by the test'; end if; return new; end $$`.execute(
        db,
      )
      await sql`create trigger refuse_a7999 before insert on prisoners for each row execute function refuse_a7999()`.execute(
        db,
      )
    }
    const prisoners = await count('prisoners')
    const events = await count('audit_events')
    await assert.rejects(
      run([
        'A7101AA,Cat,Cole,1980-01-01,HB1,2024-01-01,',
        'A7102AA,Dan,Dale,1980-01-01,HB1,2024-01-01,',
        'A7999ZZ,Eve,Ezra,1980-01-01,HB1,2024-01-01,',
      ]),
      /refused by the test/,
    )
    assert.equal(await world.services.prisoners.get(mdi, 'A7101AA'), undefined, 'the rows before it are not saved')
    assert.equal(await count('prisoners'), prisoners)
    assert.equal(await count('audit_events'), events, 'nor their audit events')
  })
})
