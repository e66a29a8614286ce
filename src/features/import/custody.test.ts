import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../test/harness'
import type { ImportOptions, ImportOutcome } from './service'
import { addUnits } from '../../../test/support/imports'

// A prisoner belongs to the establishment that holds him in custody: another establishment's prisoners CSV cannot
// take him, rename him or read him; once he is transferred out or released, their import is a transfer in.

const HEADINGS = 'Prison number,First name,Last name,Date of birth,Residential unit,Cell,Reception date,Status'
const HELD = 'is recorded at another establishment: they must record him transferred out or released first'

describe('CSV import of a prisoner another establishment holds', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let lei: number
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    lei = world.est.LEI!
    await addUnits(world.services, mdi, ['HB1'])
    await addUnits(world.services, lei, ['HB7'])
  })
  after(() => world.close())

  const run = (est: number, lines: string[], opts: Partial<ImportOptions> = {}) =>
    world.services.imports.run(
      { userId: null, username: est === mdi ? 'import.mdi' : 'import.lei', establishmentId: est },
      est,
      'prisoners',
      Buffer.from([HEADINGS, ...lines].join('\n')),
      { fileName: 'roll.csv', skipInvalid: false, fullRoll: false, ...opts },
    )
  const imported = (o: ImportOutcome) => {
    assert.equal(o.status, 'imported', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'imported' }>).report
  }
  const rejected = (o: ImportOutcome) => {
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'rejected' }>).report
  }
  /** Every establishment's record of him, read from the database. */
  const records = (prisonNumber: string) =>
    world.services.db.db
      .selectFrom('prisoners')
      .select(['establishment_id', 'first_name', 'last_name', 'cell', 'status'])
      .where('prison_number', '=', prisonNumber)
      .orderBy('id')
      .execute()
  /** The audit events of one establishment that change him (views and refused attempts aside). */
  const changesAt = async (est: number, prisonNumber: string) =>
    (await world.services.audit.forEntity('prisoner', prisonNumber))
      .filter(e => e.establishment_id === est && ['create', 'update', 'delete', 'transfer-in'].includes(e.action))
      .map(e => ({ action: e.action, username: e.username, changes: JSON.parse(e.changes ?? '{}') }))
  const history = async (est: number, prisonNumber: string) =>
    (await world.services.prisoners.custodyEvents(est, prisonNumber)).map(e => [
      e.kind,
      e.establishment_name,
      e.from_establishment_name,
    ])

  it('refuses his row while MDI holds him, changing nothing of him, with or without skipping bad rows', async () => {
    imported(await run(mdi, ['A5001AA,Ann,Able,1980-01-01,HB1,1-01,2024-01-01,in']))
    const mdiRecord = [{ establishment_id: mdi, first_name: 'Ann', last_name: 'Able', cell: '1-01', status: 'in' }]

    const report = rejected(
      await run(lei, [
        'B5002BB,Bob,Baker,1981-02-02,HB7,7-01,2024-02-02,in',
        'a5001aa,Anna,Other,1980-01-01,HB7,7-02,2024-02-02,in',
      ]),
    )
    assert.deepEqual(
      report.errors.map(e => [e.row, e.column, e.reason]),
      [[3, 'Prison number', `A5001AA ${HELD}`]],
    )
    assert.deepEqual(await records('A5001AA'), mdiRecord)
    assert.deepEqual(await records('B5002BB'), [], 'all or nothing: the good row is not saved either')

    // skipping bad rows: the good row is saved, his is skipped, and a full roll does not touch him either
    const skipped = imported(
      await run(
        lei,
        ['B5002BB,Bob,Baker,1981-02-02,HB7,7-01,2024-02-02,in', 'A5001AA,Anna,Other,1980-01-01,HB7,7-02,2024-02-02,in'],
        { skipInvalid: true, fullRoll: true },
      ),
    )
    assert.deepEqual(skipped.counts, { created: 1, updated: 0, unchanged: 0, released: 0, skipped: 1 })
    assert.deepEqual(await records('A5001AA'), mdiRecord)
    assert.equal(await world.services.prisoners.get(lei, 'A5001AA'), undefined, 'LEI cannot open his record')
    assert.deepEqual(await changesAt(lei, 'A5001AA'), [], 'LEI wrote nothing about him, and read nothing of his')
    // a released row for him is refused too: LEI has no record of him to correct
    const released = rejected(await run(lei, ['A5001AA,Anna,Other,1980-01-01,HB7,7-02,2024-02-02,released']))
    assert.deepEqual(
      released.errors.map(e => e.reason),
      [`A5001AA ${HELD}`],
    )
  })

  it('after MDI releases him, LEI’s import is one audited transfer in that both see, and nothing of MDI’s travels', async () => {
    // MDI's full roll without him releases him (B5003CC keeps the roll from being empty)
    const roll = imported(await run(mdi, ['B5003CC,Cy,Cole,1982-03-03,HB1,1-02,2024-03-03,in'], { fullRoll: true }))
    assert.equal(roll.counts.released, 1)

    const report = imported(await run(lei, ['A5001AA,Anna,Able,1980-01-01,HB7,7-02,2024-04-04,in']))
    assert.deepEqual(report.counts, { created: 1, updated: 0, unchanged: 0, released: 0, skipped: 0 })
    assert.deepEqual(await records('A5001AA'), [
      { establishment_id: mdi, first_name: 'Ann', last_name: 'Able', cell: '1-01', status: 'released' },
      { establishment_id: lei, first_name: 'Anna', last_name: 'Able', cell: '7-02', status: 'in' },
    ])

    // one audited event at LEI, naming where he came from; its changes are LEI's own values only
    const events = await changesAt(lei, 'A5001AA')
    assert.equal(events.length, 1, JSON.stringify(events))
    assert.equal(events[0]!.action, 'transfer-in')
    assert.equal(events[0]!.username, 'import.lei')
    assert.equal(events[0]!.changes.from_establishment, 'MDI')
    assert.deepEqual(events[0]!.changes.first_name, { from: null, to: 'Anna' })
    assert.deepEqual(events[0]!.changes.cell, { from: null, to: '7-02' })

    // both establishments see the movement; MDI's own reception and release stay MDI's
    assert.deepEqual(await history(mdi, 'A5001AA'), [
      ['reception', 'Moorland (HMP)', null],
      ['release', 'Moorland (HMP)', null],
      ['transfer_in', 'Leeds (HMP)', 'Moorland (HMP)'],
    ])
    assert.deepEqual(await history(lei, 'A5001AA'), [['transfer_in', 'Leeds (HMP)', 'Moorland (HMP)']])

    // now LEI holds him: MDI's stale roll with him in custody is refused on his row
    const stale = rejected(await run(mdi, ['A5001AA,Ann,Able,1980-01-01,HB1,1-01,2024-01-01,in']))
    assert.deepEqual(
      stale.errors.map(e => [e.row, e.reason]),
      [[2, `A5001AA ${HELD}`]],
    )
    assert.equal((await world.services.prisoners.get(mdi, 'A5001AA'))?.status, 'released')

    // but MDI's own record of him, released, stays MDI's to correct
    const corrected = imported(await run(mdi, ['A5001AA,Ann,Able-Smith,1980-01-01,HB1,1-01,2024-01-01,released']))
    assert.deepEqual(corrected.counts, { created: 0, updated: 1, unchanged: 0, released: 0, skipped: 0 })
    assert.deepEqual(await records('A5001AA'), [
      { establishment_id: mdi, first_name: 'Ann', last_name: 'Able-Smith', cell: '1-01', status: 'released' },
      { establishment_id: lei, first_name: 'Anna', last_name: 'Able', cell: '7-02', status: 'in' },
    ])
  })
})
