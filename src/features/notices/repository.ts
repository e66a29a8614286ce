import type { Insertable, Kysely } from 'kysely'
import type { Database, UserNoticeTable } from '../../platform/db/types'

/** The notices a user reads in the service: always scoped by the user they are for. */
export function noticesRepository(db: Kysely<Database>) {
  return {
    async insert(trx: Kysely<Database>, values: Insertable<UserNoticeTable>) {
      const row = await trx.insertInto('user_notices').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    /** Many notices, 500 a statement. */
    async insertMany(trx: Kysely<Database>, rows: Insertable<UserNoticeTable>[]) {
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('user_notices')
          .values(rows.slice(i, i + 500))
          .execute()
    },
    /** The user's notices, unread first, then newest first. */
    list(userId: number, limit: number) {
      return db
        .selectFrom('user_notices')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy(eb => eb.case().when('read_at', 'is', null).then(0).else(1).end())
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },
    async unreadCount(userId: number) {
      const r = await db
        .selectFrom('user_notices')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirst()
      return Number(r?.n ?? 0)
    },
    byId(trx: Kysely<Database>, userId: number, id: number) {
      return trx
        .selectFrom('user_notices')
        .selectAll()
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async markRead(trx: Kysely<Database>, userId: number, id: number, at: string) {
      await trx
        .updateTable('user_notices')
        .set({ read_at: at })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('read_at', 'is', null)
        .execute()
    },
    /** Marks read every unread notice of the user that points at this page; the ids marked. */
    async markReadByLink(trx: Kysely<Database>, userId: number, link: string, at: string) {
      const rows = await trx
        .selectFrom('user_notices')
        .select('id')
        .where('user_id', '=', userId)
        .where('link', '=', link)
        .where('read_at', 'is', null)
        .execute()
      if (rows.length)
        await trx
          .updateTable('user_notices')
          .set({ read_at: at })
          .where(
            'id',
            'in',
            rows.map(r => r.id),
          )
          .execute()
      return rows.map(r => r.id)
    },
  }
}
