import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { signedIn, testWorld } from '../../../test/harness'
import { describeChanges } from './routes'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

describe('audit trail page', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  it('shows who changed what in this establishment only, and filters by record', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    await admin.post('/establishment/settings', {
      name: 'Moorland (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
      ratio: '7',
      frequencyWeeks: '',
      sessionMinutes: '',
      autoAllocation: 'yes',
    })
    const leeds = await signedIn(world, 'establishment_admin.lei')
    await leeds.post('/establishment/settings', {
      name: 'Leeds renamed',
      category: 'Category B local',
      region: 'Yorkshire',
      ratio: '',
      frequencyWeeks: '',
      sessionMinutes: '',
      autoAllocation: 'yes',
    })

    const page = await admin.get('/audit')
    assert.equal(page.status, 200)
    assert.match(page.text, /ratio: \(blank\) → 7/)
    assert.doesNotMatch(page.text, /Leeds renamed/)

    const filtered = await admin.get('/audit?entity=user&entityId=nothing-matches')
    assert.match(filtered.text, /No events match/)
  })

  it('describes changes in plain words', () => {
    assert.equal(
      describeChanges('{"status":{"from":"in","to":"released"},"reason":"x"}'),
      'status: in → released; reason: x',
    )
    assert.equal(describeChanges(null), '')
  })
})

describe('audit hash chain over every column', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  /** The columns of audit_events as the database has them, so a column added later is covered too. */
  async function auditColumns(): Promise<string[]> {
    const { db, dialect } = world.services.db
    if (dialect === 'sqlite') {
      const rows = await sql<{ name: string }>`select name from pragma_table_info('audit_events')`.execute(db)
      return rows.rows.map(r => r.name)
    }
    const rows = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'audit_events'`.execute(db)
    return rows.rows.map(r => r.column_name)
  }

  it('audit verify fails when any column of any event is edited: every audited column is in the hash', async () => {
    const { db } = world.services.db
    // an event with every column filled in, followed by one more, so the edited event is in the middle
    await db.transaction().execute(trx =>
      world.services.audit.record(
        trx,
        { userId: 1, username: 'establishment_admin.mdi', establishmentId: world.est.MDI! },
        {
          action: 'update',
          entity: 'prisoner',
          entityId: 'A1234BC',
          changes: { cell: { from: '1-01', to: '1-02' } },
        },
      ),
    )
    const [target] = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).execute()
    await world.services.audit.recordAlone(SYSTEM_ACTOR, { action: 'view', entity: 'prisoner', entityId: 'A1234BC' })
    assert.ok(target)
    assert.equal((await world.services.audit.verify()).ok, true, 'the untouched trail verifies')

    const columns = await auditColumns()
    assert.ok(columns.length >= 13, `columns read from the schema: ${columns.join(', ')}`)
    // its chain and number in the chain too (decision 021)
    assert.ok(columns.includes('chain') && columns.includes('seq'), `columns: ${columns.join(', ')}`)
    const row = target as unknown as Record<string, unknown>
    for (const column of columns) {
      const original = row[column]
      assert.notEqual(original, null, `${column} is filled in on the edited event`)
      // a different value of the same type: ids and numbers move far away, text gains a character
      const edited = typeof original === 'number' ? original + 1000 : `${String(original)}x`
      const set = async (value: unknown) =>
        sql`update audit_events set ${sql.ref(column)} = ${value} where id = ${column === 'id' ? edited : target.id}`
          .execute(db)
          .then(() => undefined)
      await sql`update audit_events set ${sql.ref(column)} = ${edited} where id = ${target.id}`.execute(db)
      const r = await world.services.audit.verify()
      assert.equal(r.ok, false, `editing ${column} must break the chain`)
      await set(original)
      assert.equal((await world.services.audit.verify()).ok, true, `restoring ${column} mends it`)
    }
  })
})

describe('audit trail: the head, the filters and the pages of verify', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  const mdi = () => ({ userId: 1, username: 'establishment_admin.mdi', establishmentId: world.est.MDI! })
  const lei = () => ({ userId: 2, username: 'establishment_admin.lei', establishmentId: world.est.LEI! })

  it('rule: verify fails when the last events are deleted, naming how many', async () => {
    const { db } = world.services.db
    await world.services.audit.recordAlone(mdi(), { action: 'view', entity: 'prisoner', entityId: 'A1111AA' })
    await world.services.audit.recordAlone(mdi(), { action: 'view', entity: 'prisoner', entityId: 'A1111AB' })
    assert.equal((await world.services.audit.verify()).ok, true)
    const [last] = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).execute()
    assert.ok(last)
    await db.deleteFrom('audit_events').where('id', '=', last.id).execute()
    const r = await world.services.audit.verify()
    assert.equal(r.ok, false)
    assert.deepEqual(r.problems, [
      { chain: String(world.est.MDI), id: last.id, problem: 'the last 1 event(s) are missing' },
    ])
    // put it back exactly as it was: the chain is whole again
    await db.insertInto('audit_events').values(last).execute()
    assert.equal((await world.services.audit.verify()).ok, true)
  })

  it('rule: verify fails when the head does not hold the last event’s hash', async () => {
    const { db } = world.services.db
    const chain = String(world.est.MDI)
    const head = await db.selectFrom('audit_chains').selectAll().where('chain', '=', chain).executeTakeFirstOrThrow()
    await db
      .updateTable('audit_chains')
      .set({ hash: 'f'.repeat(64) })
      .where('chain', '=', chain)
      .execute()
    const r = await world.services.audit.verify()
    assert.equal(r.ok, false)
    assert.deepEqual(r.problems, [{ chain, id: head.last_id, problem: 'the chain head does not match the last event' }])
    await db.updateTable('audit_chains').set({ hash: head.hash }).where('chain', '=', chain).execute()
    assert.equal((await world.services.audit.verify()).ok, true)
  })

  it('rule: an event without a record id or changes stores nulls, and a changed event is still caught', async () => {
    const { db } = world.services.db
    await world.services.audit.recordAlone(mdi(), { action: 'sign-in', entity: 'user' })
    const [event] = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).execute()
    assert.equal(event?.entity_id, null)
    assert.equal(event?.changes, null)
    assert.equal((await world.services.audit.verify()).ok, true)
    await db.updateTable('audit_events').set({ entity_id: '' }).where('id', '=', event!.id).execute()
    assert.equal((await world.services.audit.verify()).ok, false, 'an empty id is not the same as none')
    await db.updateTable('audit_events').set({ entity_id: null }).where('id', '=', event!.id).execute()
    assert.equal((await world.services.audit.verify()).ok, true)
  })

  it('rule: verify reads the whole trail, page by page (more than one page of 5,000)', async () => {
    const { db } = world.services.db
    // 5,001 events written in one transaction, as many writes would
    await db.transaction().execute(async trx => {
      for (let i = 0; i < 5001; i++)
        await world.services.audit.record(trx, mdi(), { action: 'view', entity: 'prisoner', entityId: `P${i}` })
    })
    const total = Number(
      (
        await db
          .selectFrom('audit_events')
          .select(eb => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    const r = await world.services.audit.verify()
    assert.equal(r.ok, true)
    assert.equal(r.checked, total)
    // an edit on the second page is found too
    const [late] = await db.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(1).offset(3).execute()
    await db.updateTable('audit_events').set({ entity: 'staff' }).where('id', '=', late!.id).execute()
    const broken = await world.services.audit.verify()
    assert.equal(broken.ok, false)
    assert.equal(broken.problems[0]?.id, late!.id)
  })

  it('rule: the trail filters by establishment, record, id and user, newest first, up to the limit', async () => {
    await world.services.audit.recordAlone(lei(), { action: 'view', entity: 'referral', entityId: '7' })
    await world.services.audit.recordAlone(mdi(), { action: 'view', entity: 'referral', entityId: '7' })
    await world.services.audit.recordAlone(mdi(), { action: 'view', entity: 'referral', entityId: '8' })
    await world.services.audit.recordAlone(mdi(), { action: 'update', entity: 'hub', entityId: '7' })
    const key = (e: { username: string | null; entity: string; entity_id: string | null }) =>
      `${e.username} ${e.entity} ${e.entity_id}`
    const mdiReferral7 = await world.services.audit.recent({
      establishmentId: world.est.MDI!,
      entity: 'referral',
      entityId: '7',
    })
    assert.deepEqual(mdiReferral7.map(key), ['establishment_admin.mdi referral 7'])
    const anyReferral7 = await world.services.audit.recent({ establishmentId: null, entity: 'referral', entityId: '7' })
    assert.deepEqual(anyReferral7.map(key), [
      'establishment_admin.mdi referral 7',
      'establishment_admin.lei referral 7',
    ])
    const byUser = await world.services.audit.recent({ establishmentId: null, username: 'Establishment_Admin.LEI' })
    assert.ok(byUser.length >= 1)
    assert.ok(byUser.every(e => e.username === 'establishment_admin.lei'))
    const newestTwo = await world.services.audit.recent({ establishmentId: world.est.MDI! }, 2)
    assert.deepEqual(newestTwo.map(key), ['establishment_admin.mdi hub 7', 'establishment_admin.mdi referral 8'])
  })
})
