import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, OutboxEmailTable } from '../db/types'

/** Who sees which emails: an establishment's own, and for national users also those of no establishment. */
export interface OutboxScope {
  establishmentId: number
  includeNational: boolean
}

export function outboxRepository(db: Kysely<Database>) {
  const scoped = (scope: OutboxScope) => {
    const q = db.selectFrom('outbox_emails')
    return scope.includeNational
      ? q.where(eb => eb.or([eb('establishment_id', '=', scope.establishmentId), eb('establishment_id', 'is', null)]))
      : q.where('establishment_id', '=', scope.establishmentId)
  }

  return {
    async insert(trx: Kysely<Database>, row: Insertable<OutboxEmailTable>): Promise<number> {
      const r = await trx.insertInto('outbox_emails').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    /** Many rows, 500 a statement; their ids in the order given. */
    async insertMany(trx: Kysely<Database>, rows: Insertable<OutboxEmailTable>[]): Promise<number[]> {
      const ids: number[] = []
      for (let i = 0; i < rows.length; i += 500) {
        const got = await trx
          .insertInto('outbox_emails')
          .values(rows.slice(i, i + 500))
          .returning('id')
          .execute()
        ids.push(...got.map(r => r.id))
      }
      return ids
    },
    async update(trx: Kysely<Database>, id: number, values: Updateable<OutboxEmailTable>) {
      await trx.updateTable('outbox_emails').set(values).where('id', '=', id).execute()
    },
    /** Newest first, without the bodies. */
    list(scope: OutboxScope, limit: number, offset: number) {
      return scoped(scope)
        .select(['id', 'establishment_id', 'to_address', 'template', 'subject', 'reference', 'status', 'created_at'])
        .select(['sent_at', 'error'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute()
    },
    async count(scope: OutboxScope): Promise<number> {
      const r = await scoped(scope)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },
    byId(scope: OutboxScope, id: number) {
      return scoped(scope).selectAll().where('id', '=', id).executeTakeFirst()
    },
    /** The emails carrying these references (a referral's emails), newest first. */
    byReferences(establishmentId: number, references: string[]) {
      if (references.length === 0) return Promise.resolve([])
      return db
        .selectFrom('outbox_emails')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('reference', 'in', references)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },
  }
}
