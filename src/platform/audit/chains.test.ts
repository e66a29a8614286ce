import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import pg from 'pg'
import { testServices } from '../../../test/harness'
import { type Db, openDatabase } from '../db/database'
import { migrateToLatest } from '../db/migrate'
import { type Actor, auditService } from './service'

// Issue 18 point 6, decision 021: one audit chain per establishment and one for events with no establishment, so that
// establishments never wait for each other's audit writes, with `audit verify` still exact. Establishments 7 and 9
// (chains '7' and '9') and the national chain; expected chains, numbers and problems written by hand.

const at = (establishmentId: number | null): Actor => ({ userId: 1, username: 'officer', establishmentId })
const A = 7
const B = 9

type Services = Awaited<ReturnType<typeof testServices>>

describe('audit chains: one per establishment, one national', () => {
  let s: Services
  /** the ids of the six events, in the order written: A, B, national, A, B, A */
  let ids: number[]
  before(async () => {
    s = await testServices()
    for (const est of [A, B, null, A, B, A])
      await s.audit.recordAlone(at(est), { action: 'view', entity: 'prisoner', entityId: `P${est}` })
    const rows = await s.db.db.selectFrom('audit_events').select('id').orderBy('id').execute()
    ids = rows.map(r => r.id)
  })
  after(() => s.close())

  /** Runs a tampering, checks what verify reports, then puts every event and head back as they were. */
  async function tampered(tamper: () => Promise<unknown>) {
    const db = s.db.db
    const events = await db.selectFrom('audit_events').selectAll().orderBy('id').execute()
    const heads = await db.selectFrom('audit_chains').selectAll().execute()
    await tamper()
    const r = await s.audit.verify()
    await db.deleteFrom('audit_events').execute()
    await db.deleteFrom('audit_chains').execute()
    await db.insertInto('audit_events').values(events).execute()
    await db.insertInto('audit_chains').values(heads).execute()
    assert.deepEqual((await s.audit.verify()).problems, [], 'put back, the trail verifies again')
    return r
  }
  const id = (n: number) => ids[n - 1]!
  const setEvent = (n: number, values: Record<string, unknown>) =>
    s.db.db.updateTable('audit_events').set(values).where('id', '=', id(n)).execute()

  it('numbers each establishment’s events in its own chain, and the national ones in the national chain', async () => {
    const rows = await s.db.db.selectFrom('audit_events').select(['chain', 'seq']).orderBy('id').execute()
    assert.deepEqual(
      rows.map(r => `${r.chain}#${r.seq}`),
      ['7#1', '9#1', 'national#1', '7#2', '9#2', '7#3'],
    )
    assert.equal(new Set(ids).size, 6)
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
      'ids increase in the order written',
    )
    const heads = await s.db.db
      .selectFrom('audit_chains')
      .select(['chain', 'seq', 'last_id'])
      .orderBy('chain')
      .execute()
    assert.deepEqual(heads, [
      { chain: '7', seq: 3, last_id: id(6) },
      { chain: '9', seq: 2, last_id: id(5) },
      { chain: 'national', seq: 1, last_id: id(3) },
    ])
    const r = await s.audit.verify()
    assert.deepEqual(r, { ok: true, checked: 6, chains: 3, problems: [] })
  })

  it('detects an edited column of an event in the middle of a chain', async () => {
    const r = await tampered(() => setEvent(4, { entity_id: 'P8' }))
    assert.deepEqual(r.problems, [{ chain: '7', id: id(4), problem: 'has been changed since it was written' }])
  })

  it('detects an event deleted from the middle of a chain', async () => {
    const r = await tampered(() => s.db.db.deleteFrom('audit_events').where('id', '=', id(4)).execute())
    assert.deepEqual(r.problems, [
      { chain: '7', id: id(6), problem: 'events 2 to 2 of the chain are missing' },
      { chain: '7', id: id(6), problem: 'does not follow the previous event' },
    ])
  })

  it('detects the last event of a chain deleted, naming it', async () => {
    const r = await tampered(() => s.db.db.deleteFrom('audit_events').where('id', '=', id(5)).execute())
    assert.deepEqual(r.problems, [{ chain: '9', id: id(5), problem: 'the last 1 event(s) are missing' }])
  })

  it('detects two events of a chain swapped', async () => {
    const r = await tampered(async () => {
      await setEvent(1, { seq: 100 })
      await setEvent(4, { seq: 1 })
      await setEvent(1, { seq: 2 })
    })
    assert.deepEqual(r.problems, [
      { chain: '7', id: id(4), problem: 'does not follow the previous event' },
      { chain: '7', id: id(4), problem: 'has been changed since it was written' },
      { chain: '7', id: id(1), problem: 'does not follow the previous event' },
      { chain: '7', id: id(1), problem: 'has been changed since it was written' },
      { chain: '7', id: id(6), problem: 'does not follow the previous event' },
    ])
  })

  it('detects two events swapping ids', async () => {
    const r = await tampered(async () => {
      await setEvent(1, { id: 1_000_000 })
      await s.db.db
        .updateTable('audit_events')
        .set({ id: id(1) })
        .where('id', '=', id(4))
        .execute()
      await s.db.db
        .updateTable('audit_events')
        .set({ id: id(4) })
        .where('id', '=', 1_000_000)
        .execute()
    })
    assert.deepEqual(r.problems, [
      { chain: '7', id: id(4), problem: 'has been changed since it was written' },
      { chain: '7', id: id(1), problem: 'has been changed since it was written' },
    ])
  })

  it('detects an event moved to another establishment’s chain', async () => {
    // event 4 (chain 7, number 2) becomes number 3 of chain 9
    const r = await tampered(() => setEvent(4, { chain: '9', seq: 3 }))
    assert.deepEqual(r.problems, [
      { chain: '7', id: id(6), problem: 'events 2 to 2 of the chain are missing' },
      { chain: '7', id: id(6), problem: 'does not follow the previous event' },
      { chain: '9', id: id(4), problem: 'is in the chain of another establishment' },
      { chain: '9', id: id(4), problem: 'does not follow the previous event' },
      { chain: '9', id: id(4), problem: 'has been changed since it was written' },
      { chain: '9', id: id(4), problem: 'the chain head does not match the last event' },
    ])
  })

  it('detects an edited head, a missing head and an event of a chain that has no head', async () => {
    const edited = await tampered(() =>
      s.db.db
        .updateTable('audit_chains')
        .set({ hash: 'f'.repeat(64) })
        .where('chain', '=', '9')
        .execute(),
    )
    assert.deepEqual(edited.problems, [
      { chain: '9', id: id(5), problem: 'the chain head does not match the last event' },
    ])
    const missing = await tampered(() => s.db.db.deleteFrom('audit_chains').where('chain', '=', 'national').execute())
    assert.deepEqual(missing.problems, [
      { chain: 'national', id: id(3), problem: 'the chain has no head: its last events cannot be checked' },
    ])
    const stray = await tampered(() => setEvent(3, { chain: 'elsewhere' }))
    assert.deepEqual(stray.problems, [
      { chain: 'elsewhere', id: id(3), problem: 'is in the chain of another establishment' },
      { chain: 'elsewhere', id: id(3), problem: 'has been changed since it was written' },
      { chain: 'elsewhere', id: id(3), problem: 'the chain has no head: its last events cannot be checked' },
      { chain: 'national', id: id(3), problem: 'the last 1 event(s) are missing' },
    ])
  })

  it('hashes any text as verify does: quotes, backslashes, line ends, accents and emoji in every text column', async () => {
    const odd = 'O’Brien \\ "quoted"\nline 🙂 \u00e9'
    await s.audit.recordAlone(
      { userId: null, username: odd, establishmentId: A },
      {
        action: 'update',
        entity: odd,
        entityId: odd,
        changes: { note: odd, [odd]: [odd, null, 1.5] },
      },
    )
    const r = await s.audit.verify()
    assert.equal(r.ok, true, JSON.stringify(r.problems))
    await s.db.db.deleteFrom('audit_events').where('entity', '=', odd).execute()
    const head = await s.db.db
      .selectFrom('audit_events')
      .select(['seq', 'hash', 'id'])
      .where('chain', '=', String(A))
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    await s.db.db
      .updateTable('audit_chains')
      .set({ seq: head.seq, hash: head.hash, last_id: head.id })
      .where('chain', '=', String(A))
      .execute()
  })

  it('a new database has no legacy chain', async () => {
    const legacy = await s.db.db.selectFrom('audit_chains').select('chain').where('chain', '=', 'legacy').execute()
    assert.deepEqual(legacy, [])
  })
})

// Migration 042 over a trail the old code wrote (one national chain, ids from the head row): those events become the
// chain 'legacy', still verified by the rule they were written with, and new events go to their establishment's chain.
describe('migration 042: the single chain becomes the legacy chain', () => {
  const url = process.env.TEST_DATABASE_URL
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`
  let d: Db
  async function admin(query: string) {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    await c.query(query)
    await c.end()
  }
  before(async () => {
    if (url) await admin(`create schema ${schema}`)
    d = openDatabase(url ? { kind: 'postgres', url, schema } : { kind: 'sqlite', file: ':memory:' })
  })
  after(async () => {
    await d.db.destroy()
    if (url) await admin(`drop schema ${schema} cascade`)
  })

  /** The old rule, written out here as the code before migration 042 had it. */
  const oldHash = (prev: string, e: (string | number | null)[]) =>
    crypto.createHash('sha256').update(prev).update('\n').update(JSON.stringify(e)).digest('hex')

  it('keeps the old events verifiable and tamper-evident, and chains new ones per establishment', async () => {
    await migrateToLatest(d, '037_job_runs')
    // as the old audit service wrote them: the head row gave the id and the previous hash
    let prev = '0'.repeat(64)
    const old: (string | number | null)[][] = [
      [1, '2026-01-05T10:00:00.000Z', null, 'system', null, 'create', 'establishment', '7', null],
      [2, '2026-01-05T10:01:00.000Z', 3, 'officer', 7, 'view', 'prisoner', 'A1234BC', null],
      [3, '2026-01-05T10:02:00.000Z', 3, 'officer', 7, 'update', 'prisoner', 'A1234BC', '{"cell":"1-02"}'],
    ]
    for (const e of old) {
      const hash = oldHash(prev, e)
      await sql`insert into audit_events (id, at, user_id, username, establishment_id, action, entity, entity_id,
        changes, prev_hash, hash) values (${sql.join(e)}, ${prev}, ${hash})`.execute(d.db)
      prev = hash
    }
    await sql`update audit_head set last_id = 3, hash = ${prev} where id = 1`.execute(d.db)

    await migrateToLatest(d)
    const audit = auditService(d.db, d.dialect)
    assert.deepEqual(await audit.verify(), { ok: true, checked: 3, chains: 1, problems: [] })
    const legacy = await d.db.selectFrom('audit_events').select(['id', 'chain', 'seq']).orderBy('id').execute()
    assert.deepEqual(legacy, [
      { id: 1, chain: 'legacy', seq: 1 },
      { id: 2, chain: 'legacy', seq: 2 },
      { id: 3, chain: 'legacy', seq: 3 },
    ])

    // new events: ids go on after the old ones, each in its chain
    await audit.recordAlone(at(7), { action: 'view', entity: 'prisoner', entityId: 'A1234BC' })
    await audit.recordAlone(at(null), { action: 'sign-in', entity: 'user' })
    await audit.recordAlone(at(7), { action: 'view', entity: 'prisoner', entityId: 'A1234BC' })
    const all = await d.db.selectFrom('audit_events').select(['id', 'chain', 'seq']).orderBy('id').execute()
    assert.deepEqual(all.slice(3), [
      { id: 4, chain: '7', seq: 1 },
      { id: 5, chain: 'national', seq: 1 },
      { id: 6, chain: '7', seq: 2 },
    ])
    assert.deepEqual(await audit.verify(), { ok: true, checked: 6, chains: 3, problems: [] })

    const tamper = async (change: () => Promise<unknown>, undo: () => Promise<unknown>) => {
      await change()
      const r = await audit.verify()
      await undo()
      assert.equal((await audit.verify()).ok, true)
      return r.problems
    }
    // an old event edited
    assert.deepEqual(
      await tamper(
        () => sql`update audit_events set entity_id = 'A9999ZZ' where id = 2`.execute(d.db),
        () => sql`update audit_events set entity_id = 'A1234BC' where id = 2`.execute(d.db),
      ),
      [{ chain: 'legacy', id: 2, problem: 'has been changed since it was written' }],
    )
    // an old event renumbered in its chain: the old hash does not cover the number, but the id stands for it
    assert.deepEqual(
      await tamper(
        () => sql`update audit_events set seq = 4 where id = 3`.execute(d.db),
        () => sql`update audit_events set seq = 3 where id = 3`.execute(d.db),
      ),
      [
        { chain: 'legacy', id: 3, problem: 'events 3 to 3 of the chain are missing' },
        { chain: 'legacy', id: 3, problem: 'is out of place in the legacy chain' },
        { chain: 'legacy', id: 3, problem: 'the chain head does not match the last event' },
      ],
    )
    // an old event moved into an establishment's chain
    assert.deepEqual(
      await tamper(
        () => sql`update audit_events set chain = '7', seq = 3 where id = 3`.execute(d.db),
        () => sql`update audit_events set chain = 'legacy', seq = 3 where id = 3`.execute(d.db),
      ),
      [
        { chain: '7', id: 3, problem: 'does not follow the previous event' },
        { chain: '7', id: 3, problem: 'has been changed since it was written' },
        { chain: '7', id: 3, problem: 'the chain head does not match the last event' },
        { chain: 'legacy', id: 3, problem: 'the last 1 event(s) are missing' },
      ],
    )
    // the last old event deleted
    const [last] = await d.db.selectFrom('audit_events').selectAll().where('id', '=', 3).execute()
    assert.deepEqual(
      await tamper(
        () => d.db.deleteFrom('audit_events').where('id', '=', 3).execute(),
        () => d.db.insertInto('audit_events').values(last!).execute(),
      ),
      [{ chain: 'legacy', id: 3, problem: 'the last 1 event(s) are missing' }],
    )
  })
})

// On PostgreSQL each chain's head row is its own lock: an establishment's open transaction holds its own chain only.
// Shown with lock_timeout, not timing: a write that had to wait for the open transaction fails at once with 55P03.
// (SQLite has one writer at a time by design, decision 008: there is nothing to show there.)
if (process.env.TEST_DATABASE_URL) {
  describe('audit chains on PostgreSQL: establishments do not wait for each other', () => {
    let s: Services
    before(async () => {
      s = await testServices()
    })
    after(() => s.close())

    /** An audit write in a transaction of its own that gives up instead of waiting 200 ms for a lock. */
    const writeOrGiveUp = (est: number | null) =>
      s.db.db.transaction().execute(async trx => {
        await sql`set local lock_timeout = '200ms'`.execute(trx)
        await s.audit.record(trx, at(est), { action: 'view', entity: 'prisoner', entityId: 'A1234BC' })
      })

    it('writes for B, and national ones, while a transaction that wrote for A is open; A’s writers take turns', async () => {
      await s.audit.recordAlone(at(A), { action: 'view', entity: 'prisoner', entityId: 'A0000AA' })
      await s.db.db.transaction().execute(async trx => {
        await s.audit.record(trx, at(A), { action: 'update', entity: 'prisoner', entityId: 'A1234BC' })
        // B's first event (its chain opens now) and a second one, and a national one, while A's transaction is open
        await writeOrGiveUp(B)
        await writeOrGiveUp(B)
        await writeOrGiveUp(null)
        // another writer for A must wait for the open transaction: it gives up
        await assert.rejects(writeOrGiveUp(A), (err: { code?: string }) => {
          assert.equal(err.code, '55P03', 'lock_not_available')
          return true
        })
      })
      // A's open transaction committed: A's chain takes writes again
      await writeOrGiveUp(A)
      const rows = await s.db.db
        .selectFrom('audit_events')
        .select(['chain', 'seq'])
        .orderBy('chain')
        .orderBy('seq')
        .execute()
      assert.deepEqual(
        rows.map(r => `${r.chain}#${r.seq}`),
        ['7#1', '7#2', '7#3', '9#1', '9#2', 'national#1'],
      )
      assert.deepEqual(await s.audit.verify(), { ok: true, checked: 6, chains: 3, problems: [] })
    })

    type Trx = Parameters<typeof s.audit.record>[0]
    const write = (trx: Trx, est: number) =>
      s.audit.record(trx, at(est), { action: 'update', entity: 'prisoner', entityId: 'A1234BC' })
    const backend = async (trx: Trx) =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid
    /** Until that backend waits for a lock another holds (asked of PostgreSQL, not timed). */
    async function untilBlocked(pid: number) {
      for (;;) {
        const r = await sql<{ n: number }>`select cardinality(pg_blocking_pids(${pid}))::int as n`.execute(s.db.db)
        if (r.rows[0]!.n > 0) return
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    }
    const signal = () => {
      let give!: (v: number) => void
      const taken = new Promise<number>(resolve => (give = resolve))
      return { give, taken }
    }

    it('two transactions that audit A and B in opposite orders deadlock (what holdChains prevents)', async () => {
      const oneWroteA = signal()
      const twoWroteB = signal()
      const one = s.db.db.transaction().execute(async trx => {
        await write(trx, A)
        oneWroteA.give(await backend(trx))
        await twoWroteB.taken
        await write(trx, B) // waits for two, which holds B
      })
      const two = (async () => {
        const onePid = await oneWroteA.taken
        await s.db.db.transaction().execute(async trx => {
          await write(trx, B)
          twoWroteB.give(0)
          await untilBlocked(onePid)
          await write(trx, A) // waits for one, which holds A: a circle
        })
      })()
      const settled = await Promise.allSettled([one, two])
      const codes = settled.map(r => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'))
      assert.deepEqual(codes.sort(), ['40P01', 'ok'], 'one of the two is chosen as the deadlock victim')
    })

    // holdChains holds each head from the start, before its transaction writes anything: a head already open by its
    // row lock (select … for update), a head not yet open by the row it inserts (a second insert of the same head
    // waits for that transaction). Either alone leaves the other kind of head free for another writer.
    it('holdChains holds an open head and a head it opens before writing to either', async () => {
      await s.audit.recordAlone(at(A), { action: 'view', entity: 'prisoner', entityId: 'A0000AA' })
      const C = 11 // no event yet: its chain has no head
      const heads = async () => (await s.db.db.selectFrom('audit_chains').select('chain').execute()).map(h => h.chain)
      assert.ok((await heads()).includes(String(A)))
      assert.ok(!(await heads()).includes(String(C)))
      const before = (await s.audit.verify()).checked
      await s.db.db.transaction().execute(async trx => {
        await s.audit.holdChains(trx, [A, C])
        for (const est of [A, C])
          await assert.rejects(writeOrGiveUp(est), (err: { code?: string }) => {
            assert.equal(err.code, '55P03', `chain ${est}: lock_not_available`)
            return true
          })
      })
      // nothing was written while they were held, and both take writes once it committed
      assert.equal((await s.audit.verify()).checked, before)
      await writeOrGiveUp(A)
      await writeOrGiveUp(C)
      const r = await s.audit.verify()
      assert.equal(r.ok, true, JSON.stringify(r.problems))
      assert.equal(r.checked, before + 2)
    })

    it('with holdChains first, the same two transactions take turns and both commit', async () => {
      const before = (await s.audit.verify()).checked
      const oneHolds = signal()
      const twoStarted = signal()
      const one = s.db.db.transaction().execute(async trx => {
        await s.audit.holdChains(trx, [A, B])
        await write(trx, A)
        oneHolds.give(0)
        await untilBlocked(await twoStarted.taken) // two waits at its holdChains, holding nothing
        await write(trx, B)
      })
      const two = (async () => {
        await oneHolds.taken
        await s.db.db.transaction().execute(async trx => {
          twoStarted.give(await backend(trx))
          await s.audit.holdChains(trx, [B, A])
          await write(trx, B)
          await write(trx, A)
        })
      })()
      await Promise.all([one, two])
      const r = await s.audit.verify()
      assert.equal(r.ok, true, JSON.stringify(r.problems))
      assert.equal(r.checked, before + 4)
    })
  })
}
