import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { signedIn, testWorld } from '../../../test/harness'
import { describeChanges } from './routes'
import { SYSTEM_ACTOR } from './service'

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
    await db
      .transaction()
      .execute(trx =>
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
    assert.ok(columns.length >= 11, `columns read from the schema: ${columns.join(', ')}`)
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
