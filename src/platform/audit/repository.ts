import { type Kysely, sql } from 'kysely'
import { GENESIS_HASH } from '../../domain/audit'
import { prepared } from '../db/prepared'
import type { AuditEventTable, Database } from '../db/types'

export type Executor = Kysely<Database>

type AuditRow = { [K in keyof AuditEventTable]: K extends 'id' ? number : AuditEventTable[K] }
const AUDIT_COLUMNS = [
  'id',
  'chain',
  'seq',
  'at',
  'user_id',
  'username',
  'establishment_id',
  'action',
  'entity',
  'entity_id',
  'changes',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[]

export function auditRepository(db: Executor, dialect: 'sqlite' | 'postgres') {
  // The audit write runs with every change and every view of a prisoner: its statements are compiled once.
  // The event's id is taken while the chain's head is held, so that it can be hashed with the event: on PostgreSQL
  // from the table's identity; on SQLite (one writer at a time) after the largest id autoincrement has ever given (or
  // the largest there is, should its counter have been lost).
  const nextId =
    dialect === 'postgres'
      ? sql<number>`nextval(pg_get_serial_sequence('audit_events', 'id'))`
      : sql<number>`max(coalesce((select seq from sqlite_sequence where name = 'audit_events'), 0),
          coalesce((select max(id) from audit_events), 0)) + 1`
  const advance = prepared(db, 1, (chain: string) =>
    db
      .updateTable('audit_chains')
      .set(eb => ({ seq: eb('seq', '+', 1) }))
      .where('chain', '=', chain)
      .returning(['seq', 'hash', nextId.as('id')]),
  )
  const open = prepared(db, 1, (chain: string) =>
    db
      .insertInto('audit_chains')
      .values({ chain, seq: 0, hash: GENESIS_HASH, last_id: 0 })
      .onConflict(oc => oc.column('chain').doNothing()),
  )
  const setHead = prepared(db, 3, (chain: string, hash: string, lastId: number) =>
    db.updateTable('audit_chains').set({ hash, last_id: lastId }).where('chain', '=', chain),
  )
  const rowOf = (values: unknown[]) => Object.fromEntries(AUDIT_COLUMNS.map((c, i) => [c, values[i]])) as AuditRow
  const insert = prepared(db, AUDIT_COLUMNS.length, (...values: unknown[]) =>
    db.insertInto('audit_events').values(rowOf(values)),
  )
  // on PostgreSQL the event and the head's new hash in one statement: one round trip fewer for every audited view
  const insertAndSetHead = prepared(db, AUDIT_COLUMNS.length, (...values: unknown[]) =>
    db
      .with('event', qb => qb.insertInto('audit_events').values(rowOf(values)).returning(['id', 'chain', 'hash']))
      .updateTable('audit_chains')
      .from('event')
      .set(eb => ({ hash: eb.ref('event.hash'), last_id: eb.ref('event.id') }))
      .whereRef('audit_chains.chain', '=', 'event.chain'),
  )
  return {
    /**
     * Takes the chain's next number, the previous hash and a new event id. On PostgreSQL the chain's head row stays
     * locked until the transaction ends: writers of the same chain take turns, writers of other chains do not wait.
     * The first event of a chain opens its head.
     */
    async advanceHead(trx: Executor, chain: string): Promise<{ id: number; seq: number; prevHash: string }> {
      let [head] = await advance(trx, chain)
      if (!head) {
        await open(trx, chain)
        ;[head] = await advance(trx, chain)
        if (!head) throw new Error(`audit chain ${chain} has no head`)
      }
      return { id: Number(head.id), seq: head.seq, prevHash: head.hash }
    },
    /**
     * Locks the heads of several chains, opening any not yet open, in one order for every caller (PostgreSQL; SQLite
     * has one writer at a time and needs nothing): two transactions that each write to the same chains in opposite
     * orders then take turns instead of deadlocking.
     */
    async holdHeads(trx: Executor, chains: readonly string[]) {
      if (dialect !== 'postgres' || chains.length === 0) return
      for (const chain of chains) await open(trx, chain)
      await sql`select chain from audit_chains where chain in (${sql.join(chains)}) order by chain for update`.execute(
        trx,
      )
    },
    /** Inserts the event and makes it its chain's head (whose row advanceHead locked). */
    async append(trx: Executor, row: AuditRow) {
      if (dialect === 'postgres') {
        await insertAndSetHead(trx, ...AUDIT_COLUMNS.map(c => row[c]))
        return
      }
      await insert(trx, ...AUDIT_COLUMNS.map(c => row[c]))
      await setHead(trx, row.chain, row.hash, row.id)
    },
    heads(db: Executor) {
      return db.selectFrom('audit_chains').selectAll().orderBy('chain').execute()
    },
    /** Every chain that has events (a chain may have lost its head). */
    async chains(db: Executor): Promise<string[]> {
      const rows = await db.selectFrom('audit_events').select('chain').distinct().orderBy('chain').execute()
      return rows.map(r => r.chain)
    },
    /** One chain's events after a number in it, in order. */
    chainPage(db: Executor, chain: string, afterSeq: number, limit: number) {
      return db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain', '=', chain)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute()
    },
    forEntity(db: Executor, entity: string, entityId: string, limit = 50) {
      return db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity', '=', entity)
        .where('entity_id', '=', entityId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },
    recent(
      db: Executor,
      f: { establishmentId: number | null; entity?: string; entityId?: string; username?: string },
      limit: number,
    ) {
      let q = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit)
      if (f.establishmentId !== null) q = q.where('establishment_id', '=', f.establishmentId)
      if (f.entity) q = q.where('entity', '=', f.entity)
      if (f.entityId) q = q.where('entity_id', '=', f.entityId)
      if (f.username) q = q.where('username', '=', f.username.toLowerCase())
      return q.execute()
    },
  }
}
