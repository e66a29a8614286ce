import type { Kysely } from 'kysely'
import { prepared } from '../db/prepared'
import type { AuditEventTable, Database } from '../db/types'

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

export function auditRepository(db: Executor) {
  // The audit write runs with every change and every view of a prisoner: its statements are compiled once.
  const advance = prepared(db, 0, () =>
    db
      .updateTable('audit_head')
      .set(eb => ({ last_id: eb('last_id', '+', 1) }))
      .where('id', '=', 1)
      .returning(['last_id', 'hash']),
  )
  const setHash = prepared(db, 1, (hash: string) => db.updateTable('audit_head').set({ hash }).where('id', '=', 1))
  const insert = prepared(db, AUDIT_COLUMNS.length, (...values: unknown[]) =>
    db.insertInto('audit_events').values(Object.fromEntries(AUDIT_COLUMNS.map((c, i) => [c, values[i]])) as AuditRow),
  )
  return {
    /** Takes the next id and the previous hash; in PostgreSQL this row lock serialises writers. */
    async advanceHead(trx: Executor): Promise<{ id: number; prevHash: string }> {
      const [head] = await advance(trx)
      if (!head) throw new Error('audit_head row missing')
      return { id: head.last_id, prevHash: head.hash }
    },
    async setHeadHash(trx: Executor, hash: string) {
      await setHash(trx, hash)
    },
    async insert(trx: Executor, row: AuditRow) {
      await insert(trx, ...AUDIT_COLUMNS.map(c => row[c]))
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
