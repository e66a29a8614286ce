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
  // SQLite (one writer at a time) numbers, hashes and appends in three statements, the event's id after the largest
  // autoincrement has ever given (or the largest there is, should its counter have been lost); PostgreSQL in one
  // (appendInOne), its id from the table's identity.
  const nextId = sql<number>`max(coalesce((select seq from sqlite_sequence where name = 'audit_events'), 0),
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
  /**
   * PostgreSQL: the whole append in one statement, which holds the chain's head only while it runs (and, in a
   * transaction, until it ends). It numbers the event, takes an id, hashes it by the rule of eventHash (sha256 over the
   * previous hash, a line end and the values as a JSON array, which the caller writes around the number and the id:
   * JSON writes an integer as PostgreSQL's int::text does) and moves the head. No row: the chain has no head yet.
   */
  const appendInOne = (
    trx: Executor,
    e: Omit<AuditRow, 'id' | 'seq' | 'prev_hash' | 'hash'>,
    json: { before: string; after: string },
  ) =>
    sql<{ id: number; seq: number }>`with h as (
        select seq + 1 as seq, hash as prev_hash from audit_chains where chain = ${e.chain} for update
      ), n as (
        select h.seq, h.prev_hash, nextval(pg_get_serial_sequence('audit_events', 'id')) as id from h
      ), e as (
        insert into audit_events (id, chain, seq, at, user_id, username, establishment_id, action, entity, entity_id,
          changes, prev_hash, hash)
        select n.id, ${e.chain}, n.seq, ${e.at}, ${e.user_id}::int, ${e.username}::text, ${e.establishment_id}::int,
          ${e.action}, ${e.entity}, ${e.entity_id}::text, ${e.changes}::text, n.prev_hash,
          encode(sha256(convert_to(n.prev_hash || E'\n' || ${json.before}::text || n.seq::text || ',' || n.id::text
            || ${json.after}::text, 'UTF8')), 'hex')
        from n
        returning id, seq, hash
      )
      update audit_chains set seq = e.seq, hash = e.hash, last_id = e.id from e where audit_chains.chain = ${e.chain}
      returning e.id, e.seq`.execute(trx)
  return {
    /**
     * Appends an event to its chain in one statement (PostgreSQL only): its id and number in the chain. The caller
     * gives the JSON of the hashed values before the number and after the id.
     */
    async appendInOne(
      trx: Executor,
      e: Omit<AuditRow, 'id' | 'seq' | 'prev_hash' | 'hash'>,
      json: { before: string; after: string },
    ): Promise<{ id: number; seq: number }> {
      let { rows } = await appendInOne(trx, e, json)
      if (!rows.length) {
        await open(trx, e.chain)
        ;({ rows } = await appendInOne(trx, e, json))
        if (!rows.length) throw new Error(`audit chain ${e.chain} has no head`)
      }
      return { id: Number(rows[0]!.id), seq: rows[0]!.seq }
    },
    /**
     * SQLite: takes the chain's next number, the previous hash and a new event id (PostgreSQL appends in one
     * statement, appendInOne). The first event of a chain opens its head.
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
      for (const chain of [...chains].sort()) await open(trx, chain) // a head two open at once: in order too
      await sql`select chain from audit_chains where chain in (${sql.join(chains)}) order by chain for update`.execute(
        trx,
      )
    },
    /** SQLite: inserts the event and makes it its chain's head (advanceHead numbered it). */
    async append(trx: Executor, row: AuditRow) {
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
