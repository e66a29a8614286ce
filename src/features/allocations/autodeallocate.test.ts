import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import type { ImportOutcome } from '../import/service'
import { prisonerRecordSchema } from '../prisoners/schema'

const HEADINGS = 'Prison number,First name,Last name,Date of birth,Residential unit,Cell,Reception date,First language'

describe('automatic deallocation when a prisoner is released, transferred or becomes high complexity', () => {
  let world: SeededWorld
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  /** A new prisoner in custody in MDI's seeded unit. */
  async function addPrisoner(prisonNumber: string, extra: Record<string, string> = {}) {
    const { establishmentId, unitCode } = world.seeded.MDI
    const record = prisonerRecordSchema.parse({
      prisonNumber,
      firstName: 'Ana',
      lastName: `Test ${prisonNumber}`,
      dateOfBirth: '1990-01-02',
      unit: unitCode,
      cell: '1-01',
      receptionDate: '2025-01-02',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      ...extra,
    })
    const r = await world.services.prisoners.create(SYSTEM_ACTOR, establishmentId, record)
    assert.ok(r.ok, JSON.stringify(r))
    return record
  }

  async function allocate(code: 'MDI' | 'LEI', prisonNumber: string) {
    const { establishmentId, staffId } = world.seeded[code]
    const r = await world.services.allocations.allocate(SYSTEM_ACTOR, establishmentId, prisonNumber, staffId, {
      reason: 'manual',
    })
    assert.ok(r.ok, JSON.stringify(r))
  }

  /** Every allocation of the prisoner (any establishment), newest first. */
  async function allocationsOf(prisonNumber: string) {
    return world.services.db.db
      .selectFrom('allocations')
      .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
      .selectAll('allocations')
      .where('prisoners.prison_number', '=', prisonNumber)
      .orderBy('allocations.id', 'desc')
      .execute()
  }

  async function assertEnded(prisonNumber: string, reason: string, by: string) {
    const rows = await allocationsOf(prisonNumber)
    assert.equal(rows.length, 1)
    const [a] = rows
    assert.ok(a?.deallocated_at, 'the allocation has ended')
    assert.equal(a.deallocation_reason, reason)
    assert.equal(a.deallocated_by, by)
    assert.match(a.deallocation_note ?? '', /automatically/)
    const events = await world.services.audit.forEntity('allocation', String(a.id))
    const ended = events.find(e => e.action === 'update')
    assert.ok(ended, 'the deallocation is audited')
    assert.equal(ended.username, by)
    assert.equal(ended.establishment_id, a.establishment_id)
    assert.equal(JSON.parse(ended.changes ?? '{}').deallocated.to, reason)
  }

  async function assertActive(prisonNumber: string) {
    const rows = await allocationsOf(prisonNumber)
    assert.equal(rows.filter(r => r.deallocated_at === null).length, 1, 'the allocation is still active')
  }

  const imported = (o: ImportOutcome) => {
    assert.equal(o.status, 'imported', JSON.stringify(o))
    return (o as Extract<ImportOutcome, { status: 'imported' }>).report
  }

  const importCsv = (code: 'MDI' | 'LEI', csv: string, fullRoll: boolean) => {
    const est = world.seeded[code].establishmentId
    return world.services.imports.run(
      { userId: null, username: 'import-test', establishmentId: est },
      est,
      'prisoners',
      Buffer.from(csv),
      { fileName: 'roll.csv', skipInvalid: false, fullRoll },
    )
  }

  it('ends the Key Worker with reason released when the prisoner is marked released through the form', async () => {
    const { prisonNumber } = world.seeded.MDI
    await allocate('MDI', prisonNumber)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const form = {
      prisonNumber,
      firstName: 'Tomasz',
      lastName: 'Nowak',
      'dateOfBirth-day': '14',
      'dateOfBirth-month': '5',
      'dateOfBirth-year': '1988',
      unit: 'HB1',
      cell: 'HB1-1-004',
      'receptionDate-day': '3',
      'receptionDate-month': '2',
      'receptionDate-year': '2025',
      'releaseDate-day': '30',
      'releaseDate-month': '8',
      'releaseDate-year': '2027',
      status: 'in',
      complexity: 'medium',
      firstLanguage: 'pl',
      interpreterNeeded: 'yes',
      nationality: 'Polish',
    }

    // an unrelated change (the cell) leaves the Key Worker alone
    const moved = await admin.post(`/prisoners/${prisonNumber}/edit`, { ...form, cell: 'HB1-2-010' })
    assert.equal(moved.status, 303)
    assert.equal(moved.headers.location, `/prisoners/${prisonNumber}`)
    const p = await world.services.prisoners.get(world.seeded.MDI.establishmentId, prisonNumber)
    assert.equal(p?.cell, 'HB1-2-010', 'the edit was saved')
    await assertActive(prisonNumber)

    const res = await admin.post(`/prisoners/${prisonNumber}/edit`, { ...form, status: 'released' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/prisoners/${prisonNumber}`)
    await assertEnded(prisonNumber, 'released', 'establishment_admin.mdi')
  })

  it('ends the Key Worker with reason complexity_changed when complexity of need becomes high', async () => {
    const record = await addPrisoner('C1000AA')
    await allocate('MDI', record.prisonNumber)
    const { establishmentId } = world.seeded.MDI

    // medium is still eligible for a Key Worker
    assert.ok(
      (
        await world.services.prisoners.update(SYSTEM_ACTOR, establishmentId, record.prisonNumber, {
          ...record,
          complexity: 'medium',
        })
      ).ok,
    )
    await assertActive(record.prisonNumber)

    const r = await world.services.prisoners.update(SYSTEM_ACTOR, establishmentId, record.prisonNumber, {
      ...record,
      complexity: 'high',
    })
    assert.ok(r.ok, JSON.stringify(r))
    await assertEnded(record.prisonNumber, 'complexity_changed', 'system')
  })

  it('ends the Key Worker with reason transferred when the status becomes transferred', async () => {
    const record = await addPrisoner('C1001AA')
    await allocate('MDI', record.prisonNumber)
    const r = await world.services.prisoners.update(
      SYSTEM_ACTOR,
      world.seeded.MDI.establishmentId,
      record.prisonNumber,
      { ...record, status: 'transferred' },
    )
    assert.ok(r.ok, JSON.stringify(r))
    await assertEnded(record.prisonNumber, 'transferred', 'system')
  })

  it('keeps the Key Worker when another establishment imports a prisoner held here; the transfer out ends it', async () => {
    const record = await addPrisoner('C1002AA')
    await allocate('MDI', record.prisonNumber)
    const csv = `${HEADINGS}\n${record.prisonNumber},Ana,Test,1990-01-02,A,A-1-01,2025-01-02,English\n`
    const refused = await importCsv('LEI', csv, false)
    assert.equal(refused.status, 'rejected', 'MDI holds him: LEI cannot take him')
    await assertActive(record.prisonNumber)

    const { establishmentId } = world.seeded.MDI
    const out = await world.services.prisoners.update(SYSTEM_ACTOR, establishmentId, record.prisonNumber, {
      ...record,
      status: 'transferred',
    })
    assert.ok(out.ok, JSON.stringify(out))
    await assertEnded(record.prisonNumber, 'transferred', 'system')
    const report = imported(await importCsv('LEI', csv, false))
    assert.equal(report.counts.created, 1, 'LEI starts its own record of him')
    const moved = await world.services.prisoners.get(world.seeded.LEI.establishmentId, record.prisonNumber)
    assert.equal(moved?.status, 'in', 'now in LEI')
  })

  it('ends the Key Worker with reason released when a full-roll import leaves the prisoner out', async () => {
    const { prisonNumber } = world.seeded.LEI
    await allocate('LEI', prisonNumber)
    // a plain (not full-roll) import of someone else changes nothing for the allocated prisoner
    const csv = `${HEADINGS}\nD1000AA,Bo,Other,1985-03-04,A,A-1-02,2025-03-04,English\n`
    imported(await importCsv('LEI', csv, false))
    await assertActive(prisonNumber)

    const report = imported(await importCsv('LEI', csv, true))
    assert.ok(report.counts.released >= 1)
    const p = await world.services.prisoners.get(world.seeded.LEI.establishmentId, prisonNumber)
    assert.equal(p?.status, 'released')
    await assertEnded(prisonNumber, 'released', 'import-test')
  })

  it('ends nothing when an import is rejected (all or nothing)', async () => {
    const record = await addPrisoner('C1003AA')
    await allocate('MDI', record.prisonNumber)
    // one good row leaving the prisoner out of a full roll, and one bad row: nothing is saved
    const csv = `${HEADINGS}\nD1001AA,Cy,Other,1985-03-04,HB1,1-02,2025-03-04,English\nnot-a-number,X,Y,1985-03-04,HB1,1-03,2025-03-04,English\n`
    const o = await importCsv('MDI', csv, true)
    assert.equal(o.status, 'rejected', JSON.stringify(o))
    await assertActive(record.prisonNumber)
  })
})
