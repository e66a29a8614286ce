import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../test/harness'
import type { Actor } from '../../platform/audit/service'
import type { ImportKind } from './kinds'
import type { ImportOptions, ImportOutcome } from './service'
import { fixture } from '../../../test/support/imports'

describe('CSV import of residential units and staff (service)', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let actor: Actor
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    actor = { userId: null, username: 'import-test', establishmentId: mdi }
  })
  after(() => world.close())

  const run = (kind: ImportKind, bytes: Buffer | string, opts: Partial<ImportOptions> = {}) =>
    world.services.imports.run(actor, mdi, kind, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, {
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
  const units = async () => {
    const list = await world.services.units.list(mdi)
    const code = new Map(list.map(u => [u.id, u.code]))
    return Object.fromEntries(
      list.map(u => [u.code, { parent: u.parent_id === null ? null : code.get(u.parent_id), capacity: u.capacity }]),
    )
  }

  describe('units', () => {
    it('imports houseblocks and their wings, a parent further down the file included', async () => {
      const r = imported(await run('units', fixture('units-good.csv')))
      assert.deepEqual(r.counts, { created: 5, updated: 0, unchanged: 0, released: 0, skipped: 0 })
      assert.deepEqual(await units(), {
        HB1: { parent: null, capacity: 240 },
        'HB1-A': { parent: 'HB1', capacity: 120 },
        'HB1-B': { parent: 'HB1', capacity: 120 },
        'HB2-A': { parent: 'HB2', capacity: 80 },
        HB2: { parent: null, capacity: 160 },
      })
    })

    it('changes nothing the second time', async () => {
      const r = imported(await run('units', fixture('units-good.csv')))
      assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 5, released: 0, skipped: 0 })
    })

    it('reports unknown parents, units inside themselves and bad capacities, importing nothing', async () => {
      const r = rejected(
        await run(
          'units',
          'code,name,parent,capacity\nHB3,Houseblock 3,ZZ,100\nX1,Loop one,X2,10\nX2,Loop two,X1,10\nHB4,Houseblock 4,,lots\n',
        ),
      )
      assert.deepEqual(
        r.errors.map(e => [e.row, e.column]),
        [
          [2, 'parent'],
          [3, 'parent'],
          [4, 'parent'],
          [5, 'capacity'],
        ],
      )
      assert.match(r.errors[0]!.reason, /Parent unit ZZ is not a unit of this establishment/)
      assert.match(r.errors[1]!.reason, /would be inside itself/)
      assert.match(r.errors[3]!.reason, /whole number/)
      assert.equal((await units()).HB3, undefined)
    })

    it('refuses a houseblock put inside its own wing, the wing already saved under it', async () => {
      // HB1-A is in keywork inside HB1 (the first test): HB1 inside HB1-A would be a loop through what is saved
      const r = rejected(await run('units', 'code,name,parent,capacity\nHB1,Houseblock 1,HB1-A,240\n'))
      assert.deepEqual(
        r.errors.map(e => [e.row, e.column]),
        [[2, 'parent']],
      )
      assert.match(r.errors[0]!.reason, /would be inside itself/)
      assert.equal((await units()).HB1?.parent, null)
      // a parent that is a unit already saved, with a parent of its own, is fine
      const ok = imported(await run('units', 'code,name,parent,capacity\nHB1-A1,Landing 1,HB1-A,40\n'))
      assert.equal(ok.counts.created, 1)
      assert.deepEqual((await units())['HB1-A1'], { parent: 'HB1-A', capacity: 40 })
    })

    it('skips a wing whose houseblock is on a skipped row, saying why', async () => {
      const r = imported(
        await run(
          'units',
          'Unit code,Name,Parent unit,Capacity\nHB5,Houseblock 5,,0\nHB5-A,Wing A,HB5,50\nHB6,Houseblock 6,,60\n',
          {
            skipInvalid: true,
          },
        ),
      )
      assert.deepEqual(r.counts, { created: 1, updated: 0, unchanged: 0, released: 0, skipped: 2 })
      assert.deepEqual(
        r.errors.map(e => [e.row, e.column, e.reason]),
        [
          [2, 'Capacity', 'Capacity must be between 1 and 2000'],
          [3, 'Parent unit', 'Parent unit HB5 is on a row with errors'],
        ],
      )
      assert.ok((await units()).HB6)
    })
  })

  describe('staff', () => {
    it('imports staff with their home units, languages and absences', async () => {
      const r = imported(await run('staff', fixture('staff-good.csv')))
      assert.deepEqual(r.counts, { created: 4, updated: 0, unchanged: 0, released: 0, skipped: 0 })
      assert.deepEqual(r.ignoredColumns, [])
      const { rows } = await world.services.staff.search({ establishmentId: mdi, limit: 10, offset: 0 })
      assert.equal(rows.length, 4)
      const byNumber = async (n: string) => {
        const row = rows.find(s => s.staff_number === n)
        assert.ok(row, `${n} in ${JSON.stringify(rows)}`)
        return world.services.staff.get(mdi, row.id)
      }
      const unitIds = Object.fromEntries((await world.services.units.list(mdi)).map(u => [u.code, u.id]))
      const patel = await byNumber('SN10001')
      assert.equal(patel?.email, 'priya.patel@justice.gov.uk')
      assert.equal(patel?.languages, 'gu,hi')
      assert.equal(patel?.weekly_hours, 37)
      assert.equal(patel?.started_in_post, '2021-09-01')
      assert.equal(patel?.home_unit_id, unitIds.HB1)
      const hughes = await byNumber('SN10002')
      assert.equal(hughes?.grade, 'Band 3')
      assert.equal(hughes?.working_pattern, 'part_time')
      assert.equal(hughes?.weekly_hours, 22.5)
      assert.equal(hughes?.status, 'annual_leave')
      assert.equal(hughes?.status_return_date, '2099-01-10')
      assert.equal(hughes?.home_unit_id, unitIds['HB1-A'])
      assert.equal((await byNumber('SN10003'))?.home_unit_id, unitIds.HB2)
      const brown = await byNumber('SN10004')
      assert.equal(brown?.status, 'long_term_absence')
      assert.equal(brown?.home_unit_id, null)
    })

    it('changes nothing the second time', async () => {
      const r = imported(await run('staff', fixture('staff-good.csv')))
      assert.deepEqual(r.counts, { created: 0, updated: 0, unchanged: 4, released: 0, skipped: 0 })
    })

    it('reports each bad row with its column: unknown unit, missing hours, missing return date, duplicate', async () => {
      const r = rejected(await run('staff', fixture('staff-bad.csv')))
      assert.deepEqual(
        r.errors.map(e => [e.row, e.column]),
        [
          [2, 'Home unit'],
          [3, 'Hours'],
          [4, 'Return date'],
          [5, 'Staff number'],
          [6, 'Band'],
          [7, 'Staff number'],
        ],
      )
      assert.match(r.errors[0]!.reason, /HB9 is not a residential unit of this establishment/)
      assert.match(r.errors[1]!.reason, /part-time/)
      assert.match(r.errors[3]!.reason, /SN20004 is on more than one row \(rows 5, 7\)/)
    })
  })
})
