import { CompiledQuery, type Kysely } from 'kysely'
import type { AuditEventTable, Database } from '../../db/types'

export type Executor = Kysely<Database>

type AuditRow = { [K in keyof AuditEventTable]: K extends 'id' ? number : AuditEventTable[K] }
const AUDIT_COLUMNS = [
  'id',
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

// The audit write runs with every change and every view of a prisoner: its three statements are compiled once
// (per dialect) instead of being built on every call. Only the SQL text is reused; values are bound each time.
type Statements = { advance: CompiledQuery; setHash: CompiledQuery; insert: CompiledQuery }
const byDialect = new Map<string, Statements>()
function compiled(db: Executor, dialect: string): Statements {
  let statements = byDialect.get(dialect)
  if (statements) return statements
  statements = {
    advance: db
      .updateTable('audit_head')
      .set(eb => ({ last_id: eb('last_id', '+', 1) }))
      .where('id', '=', 1)
      .returning(['last_id', 'hash'])
      .compile(),
    setHash: db.updateTable('audit_head').set({ hash: '' }).where('id', '=', 1).compile(),
    insert: db
      .insertInto('audit_events')
      .values(Object.fromEntries(AUDIT_COLUMNS.map(c => [c, null])) as never)
      .compile(),
  }
  byDialect.set(dialect, statements)
  return statements
}

export function auditRepository(dialect: 'sqlite' | 'postgres') {
  return {
    /** Takes the next id and the previous hash; in PostgreSQL this row lock serialises writers. */
    async advanceHead(trx: Executor): Promise<{ id: number; prevHash: string }> {
      const r = await trx.executeQuery<{ last_id: number; hash: string }>(compiled(trx, dialect).advance)
      const head = r.rows[0]
      if (!head) throw new Error('audit_head row missing')
      return { id: head.last_id, prevHash: head.hash }
    },
    async setHeadHash(trx: Executor, hash: string) {
      const { setHash } = compiled(trx, dialect)
      await trx.executeQuery(CompiledQuery.raw(setHash.sql, [hash, ...setHash.parameters.slice(1)]))
    },
    async insert(trx: Executor, row: AuditRow) {
      await trx.executeQuery(
        CompiledQuery.raw(
          compiled(trx, dialect).insert.sql,
          AUDIT_COLUMNS.map(c => row[c]),
        ),
      )
    },
    head(db: Executor) {
      return db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
    },
    page(db: Executor, afterId: number, limit: number) {
      return db.selectFrom('audit_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute()
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
