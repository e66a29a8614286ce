import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import type { Actor } from '../../platform/audit/service'
import { importCommand } from './cli'
import type { ImportKind } from './kinds'
import type { ImportOptions, ImportOutcome } from './service'
import { addUnits } from '../../../test/support/imports'

// Allocations and past sessions brought in with their dates (issue 12, point 2), and every problem of a file listed
// in one pass (point 15). Dates are fixed days of 2025, so nothing here depends on when the tests run.

const PRISONERS = `Prison number,First name,Last name,Date of birth,Residential unit,Reception date,Status
A1000AA,Adam,Ash,1990-01-01,HB1,2025-01-10,in
A1000BB,Ben,Birch,1991-02-02,HB1,2025-01-10,in
A1000CC,Carl,Cedar,1992-03-03,HB1,2025-01-10,in
A1000DD,Dan,Dogwood,1993-04-04,HB1,2025-01-10,in
A1000EE,Eli,Elm,1994-05-05,HB1,2025-01-10,in
`
const STAFF = `Staff number,First name,Last name,Grade,Key Worker,Home unit
SN1,Sam,One,Band 3,yes,HB1
SN2,Sue,Two,Band 3,yes,HB1
SN3,Sid,Three,Band 4,no,HB1
`

const ALLOCATIONS = `Prison number,Key Worker staff number,From,To,Reason
A1000AA,SN1,2025-02-01,2025-03-01,Staff left the role
A1000AA,sn2,01/03/2025,,
A1000BB,SN1,2025-02-15,2025-04-01,Moved to the other wing
`

const SESSIONS = `Date,Officer staff number,Prison number,Delivered,Not delivered reason,Start time,Duration,Case note
2025-03-03,SN2,A1000AA,yes,,10:00,45,Talked about work
2025-03-10,SN2,A1000AA,yes,,,30,
2025-03-10,SN1,A1000BB,no,Prisoner refused,,,
2025-03-17,SN1,A1000BB,yes,,,,Met on the wing
2025-03-24,SN1,A1000AA,Yes,,,,Covered for Sue
`

describe('CSV import of allocations and past sessions, with their dates', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let lei: number
  let actor: Actor
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    lei = world.est.LEI!
    actor = { userId: null, username: 'history-test', establishmentId: mdi }
    await addUnits(world.services, mdi, ['HB1'])
    await addUnits(world.services, lei, ['HB1'])
    imported(await run('prisoners', PRISONERS))
    imported(await run('staff', STAFF))
    // a man Leeds holds, with a staff member of Leeds
    imported(
      await run(
        'prisoners',
        'Prison number,First name,Last name,Date of birth,Reception date\nA2000LL,Lee,Larch,1990-01-01,2025-01-01\n',
        lei,
      ),
    )
    imported(await run('staff', 'Staff number,First name,Last name,Grade\nSN9,Lou,Leeds,Band 3\n', lei))
  })
  after(() => world.close())

  const run = (kind: ImportKind, csv: string, est = mdi, opts: Partial<ImportOptions> = {}) =>
    world.services.imports.run({ ...actor, establishmentId: est }, est, kind, Buffer.from(csv), {
      fileName: `${kind}.csv`,
      skipInvalid: false,
      fullRoll: false,
      ...opts,
    })
  const imported = (o: ImportOutcome) => {
    assert.equal(o.status, 'imported', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'imported' }>).report
  }
  const rejected = (o: ImportOutcome) => {
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'rejected' }>).report
  }
  const db = () => world.services.db.db

  const allocations = async () =>
    (
      await db()
        .selectFrom('allocations as a')
        .innerJoin('prisoners as p', 'p.id', 'a.prisoner_id')
        .innerJoin('staff as s', 's.id', 'a.staff_id')
        .select([
          'p.prison_number',
          's.staff_number',
          'a.allocated_at',
          'a.deallocated_at',
          'a.allocation_reason',
          'a.deallocation_reason',
          'a.deallocation_note',
        ])
        .where('a.establishment_id', '=', mdi)
        .orderBy('p.prison_number')
        .orderBy('a.allocated_at')
        .execute()
    ).map(r => ({ ...r }))

  const sessions = async () =>
    (
      await db()
        .selectFrom('key_work_sessions as k')
        .innerJoin('prisoners as p', 'p.id', 'k.prisoner_id')
        .innerJoin('staff as s', 's.id', 'k.staff_id')
        .select([
          'k.session_date',
          's.staff_number',
          'p.prison_number',
          'k.status',
          'k.outcome',
          'k.not_delivered_reason',
          'k.starts_at',
          'k.duration_minutes',
          'k.agreed',
          'k.on_caseload',
          'k.client_key',
        ])
        .where('k.establishment_id', '=', mdi)
        .orderBy('k.session_date')
        .orderBy('p.prison_number')
        .execute()
    ).map(r => ({ ...r, client_key: r.client_key?.startsWith('import:') ?? false }))

  const statDays = async () =>
    (
      await db()
        .selectFrom('stat_daily')
        .select(['day', 'delivered', 'not_delivered', 'nd_prisoner_refused', 'gap_count', 'gap_days'])
        .where('establishment_id', '=', mdi)
        .orderBy('day')
        .execute()
    ).map(r => ({
      day: r.day,
      delivered: Number(r.delivered),
      not_delivered: Number(r.not_delivered),
      refused: Number(r.nd_prisoner_refused),
      gap_count: Number(r.gap_count),
      gap_days: Number(r.gap_days),
    }))

  describe('allocations', () => {
    it('imports each allocation with its dates, its end and why it ended', async () => {
      const r = imported(await run('allocations', ALLOCATIONS))
      assert.deepEqual(r.counts, { created: 3, updated: 0, unchanged: 0, released: 0, skipped: 0 })
      assert.deepEqual(await allocations(), [
        {
          prison_number: 'A1000AA',
          staff_number: 'SN1',
          allocated_at: '2025-02-01T12:00:00.000Z',
          deallocated_at: '2025-03-01T12:00:00.000Z',
          allocation_reason: 'imported',
          deallocation_reason: 'staff_left_role',
          deallocation_note: null,
        },
        {
          prison_number: 'A1000AA',
          staff_number: 'SN2',
          allocated_at: '2025-03-01T12:00:00.000Z',
          deallocated_at: null,
          allocation_reason: 'imported',
          deallocation_reason: null,
          deallocation_note: null,
        },
        {
          prison_number: 'A1000BB',
          staff_number: 'SN1',
          allocated_at: '2025-02-15T12:00:00.000Z',
          deallocated_at: '2025-04-01T12:00:00.000Z',
          allocation_reason: 'imported',
          deallocation_reason: 'manual',
          deallocation_note: 'Moved to the other wing',
        },
      ])
    })

    it('a second import of the same file changes nothing', async () => {
      const before = await allocations()
      const r = imported(await run('allocations', ALLOCATIONS))
      assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 3, released: 0, skipped: 0 })
      assert.deepEqual(await allocations(), before)
    })

    it('lists every bad value with its row and column, and imports nothing, not even the good row', async () => {
      const before = await allocations()
      const csv = `Prison number,Key Worker staff number,From,To,Reason
A1000CC,SN1,2025-02-01,,
Z99,SN1,2025-02-01,2025-02-10,
A2000LL,SN1,2025-02-01,2025-02-10,
A1000DD,SN9,2025-02-01,2025-02-10,
A1000DD,SN1,31/02/2025,2025-03-10,
A1000DD,SN1,2199-01-01,,
A1000DD,SN1,2025-05-10,2025-05-01,
A1000AA,SN1,2025-02-20,2025-03-05,
A1000DD,SN3,2025-06-01,,
A1000EE,SN1,2025-02-01,2025-03-01,
A1000EE,SN2,2025-02-15,2025-04-01,
A1000DD,SN1,2024-01-01,2024-02-01,
A1000DD,XX9,not a date,,Released
`
      const r = rejected(await run('allocations', csv))
      const got = r.errors.map(e => [e.row, e.column, e.reason])
      const expected: [number, string, RegExp][] = [
        [3, 'Prison number', /format A1234BC/],
        [4, 'Prison number', /A2000LL is not a prisoner of this establishment/],
        [5, 'Key Worker staff number', /SN9 is not a member of staff of this establishment/],
        [6, 'From', /must be a real date/],
        [7, 'From', /must be today or in the past/],
        [8, 'To', /ends \(1 May 2025\) before it starts \(10 May 2025\)/],
        [
          9,
          'From',
          /A1000AA already has allocations in keywork that overlap it \(Sam One, 1 February 2025 to 1 March 2025; Sue Two, from 1 March 2025\)/,
        ],
        [10, 'Key Worker staff number', /Sid Three is not a Key Worker/],
        [11, 'From', /overlaps row 12/],
        [12, 'From', /overlaps row 11/],
        [13, 'From', /before A1000DD was received here \(10 January 2025\)/],
        [14, 'Key Worker staff number', /XX9 is not a member of staff/],
        [14, 'From', /must be a real date/],
        [14, 'Reason', /A reason is for an allocation that ended/],
      ]
      assert.equal(got.length, expected.length, JSON.stringify(got, null, 1))
      expected.forEach(([row, column, reason], i) => {
        assert.equal(got[i]![0], row, `error ${i}: ${JSON.stringify(got[i])}`)
        assert.equal(got[i]![1], column, `error ${i}: ${JSON.stringify(got[i])}`)
        assert.match(String(got[i]![2]), reason, `error ${i}: ${JSON.stringify(got[i])}`)
      })
      assert.deepEqual(await allocations(), before, 'nothing imported, the good row 2 included')
    })
  })

  describe('past sessions', () => {
    it('imports each session as a submitted, imported entry on its date', async () => {
      const r = imported(await run('sessions', SESSIONS))
      assert.deepEqual(r.counts, { created: 5, updated: 0, unchanged: 0, released: 0, skipped: 0 })
      const base = { status: 'submitted', client_key: true }
      assert.deepEqual(await sessions(), [
        {
          ...base,
          session_date: '2025-03-03',
          staff_number: 'SN2',
          prison_number: 'A1000AA',
          outcome: 'delivered',
          not_delivered_reason: null,
          starts_at: '10:00',
          duration_minutes: 45,
          agreed: 'Talked about work',
          on_caseload: 1,
        },
        {
          ...base,
          session_date: '2025-03-10',
          staff_number: 'SN2',
          prison_number: 'A1000AA',
          outcome: 'delivered',
          not_delivered_reason: null,
          starts_at: null,
          duration_minutes: 30,
          agreed: null,
          on_caseload: 1,
        },
        {
          ...base,
          session_date: '2025-03-10',
          staff_number: 'SN1',
          prison_number: 'A1000BB',
          outcome: 'not_delivered',
          not_delivered_reason: 'prisoner_refused',
          starts_at: null,
          duration_minutes: null,
          agreed: null,
          on_caseload: 1,
        },
        {
          ...base,
          session_date: '2025-03-17',
          staff_number: 'SN1',
          prison_number: 'A1000BB',
          outcome: 'delivered',
          not_delivered_reason: null,
          starts_at: null,
          duration_minutes: null,
          agreed: 'Met on the wing',
          on_caseload: 1,
        },
        // SN1's allocation of A1000AA ended on 1 March: this one was cover
        {
          ...base,
          session_date: '2025-03-24',
          staff_number: 'SN1',
          prison_number: 'A1000AA',
          outcome: 'delivered',
          not_delivered_reason: null,
          starts_at: null,
          duration_minutes: null,
          agreed: 'Covered for Sue',
          on_caseload: 0,
        },
      ])
    })

    it('the statistics of those past days count them (counted by hand)', async () => {
      // A1000AA: delivered 3, 10 and 24 March (gaps of 7 and 14 days); A1000BB: refused on 10 March, delivered on 17
      assert.deepEqual(await statDays(), [
        { day: '2025-03-03', delivered: 1, not_delivered: 0, refused: 0, gap_count: 0, gap_days: 0 },
        { day: '2025-03-10', delivered: 1, not_delivered: 1, refused: 1, gap_count: 1, gap_days: 7 },
        { day: '2025-03-17', delivered: 1, not_delivered: 0, refused: 0, gap_count: 0, gap_days: 0 },
        { day: '2025-03-24', delivered: 1, not_delivered: 0, refused: 0, gap_count: 1, gap_days: 14 },
      ])
      const { figures } = await world.services.statistics.compute(
        { kind: 'establishment', establishmentId: mdi },
        { from: '2025-03-01', to: '2025-03-31' },
      )
      assert.equal(figures.delivered, 4)
      assert.equal(figures.notDelivered, 1)
      assert.equal(figures.reasons.prisoner_refused, 1)
      assert.equal(figures.averageDaysBetween, 10.5)
    })

    it('a second import of the same file changes nothing, statistics included', async () => {
      const [before, stats] = [await sessions(), await statDays()]
      const r = imported(await run('sessions', SESSIONS))
      assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 5, released: 0, skipped: 0 })
      assert.deepEqual(await sessions(), before)
      assert.deepEqual(await statDays(), stats)
    })

    it('lists every bad value with its row and column, and imports nothing, not even the good row', async () => {
      const [before, stats] = [await sessions(), await statDays()]
      const csv = `Date,Officer staff number,Prison number,Delivered,Not delivered reason,Start time,Duration,Case note
2025-04-01,SN1,A1000BB,yes,,,,
2199-01-01,SN1,A1000BB,yes,,,,
2025-04-02,SN9,A1000BB,yes,,,,
2025-04-02,SN1,A9999ZZ,yes,,,,
2025-04-02,SN1,A1000BB,maybe,,,,
2025-04-03,SN1,A1000BB,no,,,,
2025-04-04,SN1,A1000BB,yes,Prisoner refused,,,
2025-04-05,SN1,A1000BB,no,Gone fishing,,,
2025-04-06,SN1,A1000BB,yes,,25:00,,
2025-04-07,SN1,A1000BB,yes,,,500,
2025-04-08,SN1,A1000BB,yes,,,,
2025-04-08,SN1,A1000BB,yes,,,,
2025-04-09,SN1,A1000BB,no,Other,,,
2024-01-01,SN1,A1000BB,yes,,,,
`
      const r = rejected(await run('sessions', csv))
      const got = r.errors.map(e => [e.row, e.column, e.reason])
      const expected: [number, string, RegExp][] = [
        [3, 'Date', /must be today or in the past/],
        [4, 'Officer staff number', /SN9 is not a member of staff of this establishment/],
        [5, 'Prison number', /A9999ZZ is not a prisoner of this establishment/],
        [6, 'Delivered', /must be yes or no/],
        [7, 'Not delivered reason', /Enter the reason the session was not delivered/],
        [8, 'Not delivered reason', /was delivered: leave the reason/],
        [9, 'Not delivered reason', /must be one of: Prisoner refused/],
        [10, 'Start time', /a time like 14:30/],
        [11, 'Duration', /from 5 to 180/],
        [12, 'Date', /on rows 12, 13/],
        [13, 'Date', /on rows 12, 13/],
        [14, 'Case note', /why the session was not delivered/],
        [15, 'Date', /before A1000BB was received here/],
      ]
      assert.equal(got.length, expected.length, JSON.stringify(got, null, 1))
      expected.forEach(([row, column, reason], i) => {
        assert.equal(got[i]![0], row, `error ${i}: ${JSON.stringify(got[i])}`)
        assert.equal(got[i]![1], column, `error ${i}: ${JSON.stringify(got[i])}`)
        assert.match(String(got[i]![2]), reason, `error ${i}: ${JSON.stringify(got[i])}`)
      })
      assert.deepEqual(await sessions(), before, 'nothing imported, the good row 2 included')
      assert.deepEqual(await statDays(), stats)
    })

    it('a file of many prisoners recounts the statistics in the same transaction, exactly (counted by hand)', async () => {
      // 60 prisoners, more than are moved one by one: each seen on 3 and 10 March 2025, so 60 gaps of 7 days
      const numbers = Array.from({ length: 60 }, (_, i) => `B${String(i).padStart(4, '0')}BB`)
      imported(
        await run(
          'prisoners',
          `Prison number,First name,Last name,Date of birth,Reception date\n${numbers.map(n => `${n},F,L,1990-01-01,2025-01-01`).join('\n')}\n`,
          lei,
        ),
      )
      const rows = numbers.flatMap(n => [`2025-03-03,SN9,${n},yes`, `2025-03-10,SN9,${n},yes`])
      const csv = `Date,Officer staff number,Prison number,Delivered\n${rows.join('\n')}\n`
      const r = imported(await run('sessions', csv, lei))
      assert.deepEqual(r.counts, { created: 120, updated: 0, unchanged: 0, released: 0, skipped: 0 })
      const days = await db()
        .selectFrom('stat_daily')
        .select(['day', 'delivered', 'gap_count', 'gap_days'])
        .where('establishment_id', '=', lei)
        .orderBy('day')
        .execute()
      assert.deepEqual(
        days.map(d => [d.day, Number(d.delivered), Number(d.gap_count), Number(d.gap_days)]),
        [
          ['2025-03-03', 60, 0, 0],
          ['2025-03-10', 60, 60, 420],
        ],
      )
      // Moorland's statistics are not touched by Leeds's recount
      assert.equal(
        (await statDays()).reduce((n, d) => n + d.delivered, 0),
        4,
      )
      assert.deepEqual(imported(await run('sessions', csv, lei)).counts.unchanged, 120)
    })

    it('comes in through the command line too, with the same row errors', async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-history-'))
      try {
        const file = path.join(tmp, 'sessions.csv')
        fs.writeFileSync(
          file,
          'Date,Officer staff number,Prison number,Delivered\n2025-04-01,SN1,A1000BB,yes\n2025-04-02,SN1,A1000BB,perhaps\n',
        )
        const err: string[] = []
        const code = await importCommand(
          world.services,
          'sessions',
          file,
          { establishment: 'MDI' },
          {
            out: () => {},
            err: l => err.push(l),
          },
        )
        assert.equal(code, 1)
        assert.match(err.join('\n'), /3 {2}Delivered {2}Delivered must be yes or no/)
        fs.writeFileSync(file, 'Date,Officer staff number,Prison number,Delivered\n2025-04-01,SN1,A1000BB,yes\n')
        const out: string[] = []
        const ok = await importCommand(
          world.services,
          'sessions',
          file,
          { establishment: 'MDI' },
          {
            out: l => out.push(l),
            err: () => {},
          },
        )
        assert.equal(ok, 0)
        assert.match(out.join('\n'), /1 created, 0 updated, 0 unchanged/)
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true })
      }
    })
  })
})

describe('CSV imports list every problem in one pass', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let admin: Browser
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    await addUnits(world.services, mdi, ['HB1', 'HB2'])
    await addUnits(world.services, world.est.LEI!, ['HB1'])
    const lei = world.est.LEI!
    const o = await world.services.imports.run(
      { userId: null, username: 't', establishmentId: lei },
      lei,
      'prisoners',
      Buffer.from(
        'Prison number,First name,Last name,Date of birth,Reception date\nA2000LL,Lee,Larch,1990-01-01,2025-01-01\n',
      ),
      { fileName: 'x.csv', skipInvalid: false, fullRoll: false },
    )
    assert.equal(o.status, 'imported')
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const run = (kind: ImportKind, csv: string) =>
    world.services.imports.run({ userId: null, username: 't', establishmentId: mdi }, mdi, kind, Buffer.from(csv), {
      fileName: `${kind}.csv`,
      skipInvalid: false,
      fullRoll: false,
    })
  const errorsOf = (o: ImportOutcome) => {
    assert.notEqual(o.status, 'imported', JSON.stringify(o))
    const report = o.status === 'imported' ? undefined : o.report
    return (report?.errors ?? []).map(e => `${e.row} ${e.column}: ${e.reason}`)
  }

  it('prisoners: an unknown unit code and a custody elsewhere are listed beside the row’s other errors', async () => {
    const o = await run(
      'prisoners',
      `Prison number,First name,Last name,Date of birth,Residential unit,Reception date
A3000AA,Ann,One,1990-01-01,HB9,2024-01-01
A3000BB,Bob,Two,not a date,HB9,2024-01-01
A3000CC,,Three,1990-01-01,HB1,2024-01-01
A2000LL,Lee,Larch,bad,HB7,2024-01-01
`,
    )
    const unknown = (code: string) => `${code} is not a residential unit of this establishment; use one of: HB1, HB2`
    assert.deepEqual(errorsOf(o), [
      `2 Residential unit: ${unknown('HB9')}`,
      `3 Date of birth: Date of birth must be a real date, like 27/3/2024`,
      `3 Residential unit: ${unknown('HB9')}`,
      `4 First name: Enter first name`,
      `5 Prison number: A2000LL is recorded at another establishment: they must record him transferred out or released first`,
      `5 Date of birth: Date of birth must be a real date, like 27/3/2024`,
      `5 Residential unit: ${unknown('HB7')}`,
    ])
  })

  it('staff: an unknown home unit is listed beside a bad grade on the same row', async () => {
    const o = await run('staff', 'Staff number,First name,Last name,Grade,Home unit\nSN1,Sam,One,Band 9,HB9\n')
    const list = errorsOf(o)
    assert.equal(list.length, 2, JSON.stringify(list))
    assert.match(list[0]!, /^2 Grade: /)
    assert.match(list[1]!, /^2 Home unit: HB9 is not a residential unit of this establishment/)
  })

  it('a missing column is reported with the errors of the columns that could be read', async () => {
    const o = await run(
      'prisoners',
      'Prison number,First name,Last name,Date of birth,Residential unit\nA3000DD,Dee,Four,not a date,HB9\n',
    )
    assert.equal(o.status, 'file-problem')
    assert.deepEqual((o as Extract<ImportOutcome, { status: 'file-problem' }>).messages, [
      'The file is missing a required column: "Reception date"',
    ])
    assert.deepEqual(errorsOf(o), [
      '2 Date of birth: Date of birth must be a real date, like 27/3/2024',
      '2 Residential unit: HB9 is not a residential unit of this establishment; use one of: HB1, HB2',
    ])
    assert.equal(await world.services.prisoners.get(mdi, 'A3000DD'), undefined)
  })

  it('the upload page takes allocations: row errors first, then the good file', async () => {
    for (const [kind, csv] of [
      [
        'prisoners',
        'Prison number,First name,Last name,Date of birth,Reception date\nA4000AA,Al,Oak,1990-01-01,2025-01-01\n',
      ],
      ['staff', 'Staff number,First name,Last name,Grade,Key Worker\nSN40,Kit,Pine,Band 3,yes\n'],
    ] as const)
      assert.equal((await run(kind, csv)).status, 'imported')
    const upload = async (csv: string) =>
      admin.agent
        .post('/import')
        .field('_csrf', await admin.csrf('/import'))
        .field('kind', 'allocations')
        .attach('file', Buffer.from(csv), { filename: 'allocations.csv', contentType: 'text/csv' })
    const head = 'Prison number,Key Worker staff number,From,To\n'
    const bad = await upload(`${head}A4000AA,SN41,2025-02-01,\n`)
    assert.equal(bad.status, 422)
    assert.match(bad.text, /href="#row-error-0">Row 2, Key Worker staff number: SN41 is not a member of staff/)
    const good = await upload(`${head}A4000AA,SN40,2025-02-01,\n`)
    assert.equal(good.status, 303, good.text)
    const page = await admin.get('/import/result')
    assert.match(page.text, /Key Worker allocations from allocations\.csv/)
    const rows = await world.services.db.db
      .selectFrom('allocations')
      .select(['allocated_at', 'allocation_reason'])
      .where('establishment_id', '=', mdi)
      .execute()
    assert.deepEqual(rows, [{ allocated_at: '2025-02-01T12:00:00.000Z', allocation_reason: 'imported' }])
  })

  it('the upload page lists the heading problem and the rows’ errors together', async () => {
    const _csrf = await admin.csrf('/import')
    const res = await admin.agent
      .post('/import')
      .field('_csrf', _csrf)
      .field('kind', 'prisoners')
      .attach('file', Buffer.from('Prison number,First name,Last name,Date of birth\nA3000EE,Eve,Five,not a date\n'), {
        filename: 'p.csv',
        contentType: 'text/csv',
      })
    assert.equal(res.status, 422)
    assert.match(res.text, /href="#file">The file is missing a required column: &quot;Reception date&quot;/)
    assert.match(res.text, /href="#row-error-0">Row 2, Date of birth: Date of birth must be a real date/)
  })
})
