import type { Kysely } from 'kysely'
import type { Insertable } from 'kysely'
import type { AuditEventTable, Database } from '../../db/types'

export type Executor = Kysely<Database>

export function auditRepository() {
  return {
    /** Takes the next id and the previous hash; in PostgreSQL this row lock serialises writers. */
    async advanceHead(trx: Executor): Promise<{ id: number; prevHash: string }> {
      const head = await trx
        .updateTable('audit_head')
        .set(eb => ({ last_id: eb('last_id', '+', 1) }))
        .where('id', '=', 1)
        .returning(['last_id', 'hash'])
        .executeTakeFirstOrThrow()
      return { id: head.last_id, prevHash: head.hash }
    },
    async setHeadHash(trx: Executor, hash: string) {
      await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute()
    },
    async insert(trx: Executor, row: Insertable<AuditEventTable> & { id: number }) {
      await trx.insertInto('audit_events').values(row).execute()
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
