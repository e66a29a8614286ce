import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { descendantIds, parentProblems, unitTree } from '../../domain/unitHierarchy'
import { unitRecordSchema } from './schema'

describe('residential units', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  let mdi: number
  before(async () => {
    world = await testWorld()
    admin = await signedIn(world, 'establishment_admin.mdi')
    mdi = world.est.MDI!
  })
  after(() => world.close())

  const unitsOf = (establishmentId: number) => world.services.units.list(establishmentId)
  const unitByCode = async (code: string, establishmentId = mdi) =>
    (await unitsOf(establishmentId)).find(u => u.code === code)

  it('adds a houseblock and a wing inside it, and audits both', async () => {
    let res = await admin.post('/units/new', { code: 'hb1', name: 'Houseblock 1', parent: '', capacity: '120' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/units')
    res = await admin.post('/units/new', { code: 'a-1', name: 'A wing', parent: 'HB1', capacity: ' 60 ' })
    assert.equal(res.status, 303)
    const hb1 = await unitByCode('HB1')
    const wing = await unitByCode('A-1')
    assert.equal(hb1?.capacity, 120)
    assert.equal(wing?.parent_id, hb1?.id)
    assert.equal(wing?.capacity, 60)

    const list = await admin.get('/units')
    assert.equal(list.status, 200)
    assert.match(list.text, /A-1 wing|A wing/)
    assert.match(list.text, /has been added/)
    const events = await world.services.audit.forEntity('residential_unit', String(wing!.id))
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'create')
    assert.equal(events[0]?.establishment_id, mdi)
    assert.match(events[0]?.changes ?? '', /"parent_id":\{"from":null,"to":\d+\}/)
  })

  it('shows capacity and the prisoners in each unit, counting wings in their houseblock', async () => {
    const record = prisonerRecordSchema.parse({
      prisonNumber: 'A1000AA',
      firstName: 'Piotr',
      lastName: 'Zielinski',
      dateOfBirth: '1990-01-01',
      unit: 'A-1',
      receptionDate: '2025-01-01',
    })
    const r = await world.services.prisoners.create({ ...SYSTEM_ACTOR, establishmentId: mdi }, mdi, record)
    assert.ok(r.ok)
    const { rows, capacity, occupied } = await world.services.units.overview(mdi)
    assert.deepEqual(
      rows.map(u => [u.code, u.depth, u.occupied, u.occupiedWithin]),
      [
        ['HB1', 0, 0, 1],
        ['A-1', 1, 1, 1],
      ],
    )
    assert.equal(capacity, 120)
    assert.equal(occupied, 1)
    const page = await admin.get('/units')
    const wing = await unitByCode('A-1')
    assert.match(page.text, new RegExp(`href="/prisoners\\?unit=${wing!.id}">1<`))
  })

  it('keeps the values and shows every error for a bad form, saving nothing', async () => {
    const before = (await unitsOf(mdi)).length
    const res = await admin.post('/units/new', { code: 'B wing!', name: '', parent: 'ZZ', capacity: '0' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/units/new')
    const form = await admin.get('/units/new')
    assert.match(form.text, /There is a problem/)
    assert.match(form.text, /Unit code must be up to 20 letters, digits or hyphens/)
    assert.match(form.text, /Enter unit name/)
    assert.match(form.text, /Capacity must be between 1 and 2000/)
    assert.match(form.text, /value="B wing!"/)
    assert.equal((await unitsOf(mdi)).length, before)

    await admin.post('/units/new', { code: 'B', name: 'B wing', parent: '', capacity: '12.5' })
    assert.match((await admin.get('/units/new')).text, /Capacity must be a whole number/)
    await admin.post('/units/new', { code: 'B', name: 'B wing', parent: 'NOPE', capacity: '30' })
    assert.match((await admin.get('/units/new')).text, /Parent unit NOPE is not a unit of this establishment/)
    await admin.post('/units/new', { code: 'hb1', name: 'Another', parent: '', capacity: '30' })
    const dup = await admin.get('/units/new')
    assert.match(dup.text, /A unit with code HB1 already exists/)
    assert.match(dup.text, /value="Another"/)
    assert.equal((await unitsOf(mdi)).length, before)
  })

  it('edits a unit, auditing what changed, and refuses to put a unit inside itself', async () => {
    const hb1 = (await unitByCode('HB1'))!
    const form = await admin.get(`/units/${hb1.id}/edit`)
    assert.equal(form.status, 200)
    assert.match(form.text, /value="Houseblock 1"/)
    // the houseblock's own wing is not offered as its parent
    assert.doesNotMatch(form.text, /<option value="A-1"/)
    assert.doesNotMatch(form.text, /<option value="HB1"/)

    const res = await admin.post(`/units/${hb1.id}/edit`, {
      code: 'HB1',
      name: 'Houseblock One',
      parent: '',
      capacity: '130',
    })
    assert.equal(res.status, 303)
    const saved = (await unitByCode('HB1'))!
    assert.equal(saved.name, 'Houseblock One')
    assert.equal(saved.capacity, 130)
    const events = await world.services.audit.forEntity('residential_unit', String(hb1.id))
    assert.equal(events[0]?.action, 'update')
    assert.deepEqual(JSON.parse(events[0]?.changes ?? '{}'), {
      name: { from: 'Houseblock 1', to: 'Houseblock One' },
      capacity: { from: 120, to: 130 },
    })

    for (const parent of ['A-1', 'HB1']) {
      await admin.post(`/units/${hb1.id}/edit`, { code: 'HB1', name: 'Houseblock One', parent, capacity: '130' })
      const again = await admin.get(`/units/${hb1.id}/edit`)
      assert.match(again.text, /There is a problem/, parent)
      assert.match(again.text, /inside itself|is inside this unit/, parent)
    }
    assert.equal((await unitByCode('HB1'))?.parent_id, null)
  })

  it('hides another establishment’s unit behind a 404', async () => {
    const lei = world.est.LEI!
    const r = await world.services.units.create(SYSTEM_ACTOR, lei, { code: 'A', name: 'A wing', capacity: 100 })
    assert.ok(r.ok)
    const leiUnit = r.value
    assert.equal((await admin.get(`/units/${leiUnit}/edit`)).status, 404)
    const post = await admin.post(`/units/${leiUnit}/edit`, { code: 'A', name: 'Taken', capacity: '1' }, '/units/new')
    assert.equal(post.status, 404)
    assert.equal((await unitByCode('A', lei))?.name, 'A wing')
    assert.equal((await admin.get('/units/abc/edit')).status, 404)
    // the same code may be used by another establishment
    assert.ok((await world.services.units.create(SYSTEM_ACTOR, mdi, { code: 'A', name: 'A', capacity: 5 })).ok)
  })

  it('lets the national team see the list but only an admin change it', async () => {
    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.equal((await national.get('/units')).status, 200)
    assert.equal((await national.get('/units/new')).status, 403)
    const keyWorker = await signedIn(world, 'key_worker.mdi')
    assert.equal((await keyWorker.get('/units')).status, 403)
    const res = await keyWorker.post('/units/new', { code: 'KW', name: 'Nope', capacity: '5' }, '/')
    assert.equal(res.status, 403)
    assert.equal(await unitByCode('KW'), undefined)
  })

  describe('saveMany, for imports', () => {
    const records = (rows: Record<string, string>[]) => rows.map(r => unitRecordSchema.parse(r))
    const actor = { ...SYSTEM_ACTOR, username: 'importer' }

    it('creates units whose parent comes later in the file, then changes nothing on a second run', async () => {
      const lei = world.est.LEI!
      const file = records([
        { code: 'b-1', name: 'B1 landing', parent: 'B', capacity: '40' },
        { code: 'B', name: 'B wing', parent: '', capacity: '80' },
        { code: 'A', name: 'A wing renamed', parent: '', capacity: '100' },
      ])
      const db = world.services.db.db
      const first = await db.transaction().execute(trx => world.services.units.saveMany(trx, actor, lei, file))
      assert.deepEqual(first, { created: 2, updated: 1, unchanged: 0 })
      const units = await unitsOf(lei)
      const b = units.find(u => u.code === 'B')!
      assert.equal(units.find(u => u.code === 'B-1')?.parent_id, b.id)
      assert.equal(units.find(u => u.code === 'A')?.name, 'A wing renamed')
      const created = await world.services.audit.forEntity(
        'residential_unit',
        String(units.find(u => u.code === 'B-1')!.id),
      )
      assert.equal(created.length, 1, 'one event with the final values, parent included')
      assert.match(created[0]?.changes ?? '', new RegExp(`"parent_id":\\{"from":null,"to":${b.id}\\}`))

      const again = await db.transaction().execute(trx => world.services.units.saveMany(trx, actor, lei, file))
      assert.deepEqual(again, { created: 0, updated: 0, unchanged: 3 })
    })

    it('rolls back when a parent is unknown or units would be inside each other', async () => {
      const lei = world.est.LEI!
      const before = (await unitsOf(lei)).length
      const db = world.services.db.db
      for (const file of [
        records([
          { code: 'C', name: 'C wing', capacity: '10' },
          { code: 'C-1', name: 'C1', parent: 'X', capacity: '10' },
        ]),
        records([
          { code: 'D', name: 'D', parent: 'E', capacity: '10' },
          { code: 'E', name: 'E', parent: 'D', capacity: '10' },
        ]),
      ]) {
        const problems = await db.transaction().execute(trx => world.services.units.parentProblems(trx, lei, file))
        assert.ok(problems.length > 0)
        await assert.rejects(db.transaction().execute(trx => world.services.units.saveMany(trx, actor, lei, file)))
      }
      assert.equal((await unitsOf(lei)).length, before)
    })
  })
})

describe('unit hierarchy helpers', () => {
  it('reports unknown parents and loops, allowing parents later in the file', () => {
    assert.deepEqual(parentProblems([{ code: 'HB1', parent: null }], [{ code: 'A', parent: 'HB1' }]), [])
    assert.deepEqual(
      parentProblems(
        [],
        [
          { code: 'A-1', parent: 'A' },
          { code: 'A', parent: null },
        ],
      ),
      [],
    )
    assert.deepEqual(parentProblems([], [{ code: 'A', parent: 'Z' }]), [
      { index: 0, message: 'Parent unit Z is not a unit of this establishment' },
    ])
    const loop = parentProblems([{ code: 'A', parent: 'B' }], [{ code: 'B', parent: 'A' }])
    assert.equal(loop.length, 1)
    assert.match(loop[0]!.message, /B in A in B/)
  })

  it('finds the units inside a unit and orders the tree', () => {
    const units = [
      { id: 1, parent_id: null, code: 'HB2', occupied: 3 },
      { id: 2, parent_id: 3, code: 'A-2', occupied: 2 },
      { id: 3, parent_id: null, code: 'A', occupied: 1 },
      { id: 4, parent_id: 2, code: 'A-2-1', occupied: 5 },
    ]
    assert.deepEqual([...descendantIds(units, 3)].sort(), [2, 4])
    assert.deepEqual(
      unitTree(units).map(u => [u.code, u.depth, u.occupiedWithin, u.hasUnitsInside]),
      [
        ['A', 0, 8, true],
        ['A-2', 1, 7, true],
        ['A-2-1', 2, 5, false],
        ['HB2', 0, 3, false],
      ],
    )
  })
})
