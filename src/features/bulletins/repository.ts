import type { Insertable, Kysely } from 'kysely'
import type { BulletinTable, Database } from '../../platform/db/types'

/** Ids per query: well under both engines' limit on bound parameters. */
const CHUNK = 1000

const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK))
  return out
}

/**
 * Bulletins (issue 17). Writes `bulletins`, `bulletin_reads` and `bulletin_digests`; reads users and their roles
 * (who a bulletin is for, who has read it). Bulletins are national (no establishment); every question about an
 * establishment's officers is scoped by `user_roles.establishment_id`.
 */
export function bulletinsRepository(db: Kysely<Database>) {
  return {
    async insert(trx: Kysely<Database>, row: Insertable<BulletinTable>): Promise<number> {
      const r = await trx.insertInto('bulletins').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },

    byId(id: number) {
      return db.selectFrom('bulletins').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /** Bulletins published at or after an instant, newest first. */
    since(from: string, k: Kysely<Database> = db) {
      return k
        .selectFrom('bulletins')
        .selectAll()
        .where('published_at', '>=', from)
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },

    /** Bulletins published from an instant (inclusive) to another (exclusive), oldest first. */
    between(from: string, to: string) {
      return db
        .selectFrom('bulletins')
        .selectAll()
        .where('published_at', '>=', from)
        .where('published_at', '<', to)
        .orderBy('published_at')
        .orderBy('id')
        .execute()
    },

    /** Every bulletin, newest first, a page at a time. */
    page(limit: number, offset: number) {
      return db
        .selectFrom('bulletins')
        .selectAll()
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute()
    },

    async count(): Promise<number> {
      const r = await db
        .selectFrom('bulletins')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },

    /** Bulletins published at or after an instant that the user has not read, newest first. */
    unreadSince(userId: number, from: string) {
      return db
        .selectFrom('bulletins as b')
        .leftJoin('bulletin_reads as r', join => join.onRef('r.bulletin_id', '=', 'b.id').on('r.user_id', '=', userId))
        .selectAll('b')
        .where('b.published_at', '>=', from)
        .where('r.id', 'is', null)
        .orderBy('b.published_at', 'desc')
        .orderBy('b.id', 'desc')
        .execute()
    },

    readAt(bulletinId: number, userId: number) {
      return db
        .selectFrom('bulletin_reads')
        .select('read_at')
        .where('bulletin_id', '=', bulletinId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    },

    /** Marks a bulletin read by a user; false when it already was (the unique key keeps one row). */
    async markRead(trx: Kysely<Database>, bulletinId: number, userId: number, at: string): Promise<boolean> {
      const r = await trx
        .insertInto('bulletin_reads')
        .values({ bulletin_id: bulletinId, user_id: userId, read_at: at })
        .onConflict(oc => oc.columns(['bulletin_id', 'user_id']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return r !== undefined
    },

    /** Who has read which of these bulletins: (bulletin, user) pairs. */
    async reads(bulletinIds: readonly number[], k: Kysely<Database> = db) {
      const rows: { bulletin_id: number; user_id: number }[] = []
      for (const part of chunks(bulletinIds))
        rows.push(
          ...(await k
            .selectFrom('bulletin_reads')
            .select(['bulletin_id', 'user_id'])
            .where('bulletin_id', 'in', part)
            .execute()),
        )
      return rows.map(r => ({ bulletin_id: Number(r.bulletin_id), user_id: Number(r.user_id) }))
    },

    /** The enabled users with a role in one establishment, with each role they hold there, by name. */
    officersOf(establishmentId: number) {
      return db
        .selectFrom('user_roles as ur')
        .innerJoin('users as u', 'u.id', 'ur.user_id')
        .select(['u.id', 'u.display_name', 'u.username', 'ur.role'])
        .where('ur.establishment_id', '=', establishmentId)
        .where('u.enabled', '=', 1)
        .orderBy('u.display_name')
        .orderBy('u.id')
        .execute()
    },

    /** Every enabled user's establishment roles (national ones have no establishment and are left out). */
    establishmentRoles(k: Kysely<Database> = db) {
      return k
        .selectFrom('user_roles as ur')
        .innerJoin('users as u', 'u.id', 'ur.user_id')
        .select(['ur.user_id', 'ur.establishment_id', 'ur.role'])
        .where('ur.establishment_id', 'is not', null)
        .where('u.enabled', '=', 1)
        .orderBy('ur.user_id')
        .orderBy('ur.establishment_id')
        .execute()
    },

    establishments() {
      return db
        .selectFrom('establishments')
        .select(['id', 'code', 'name'])
        .where('enabled', '=', 1)
        .orderBy('name')
        .execute()
    },

    /** Enabled users with an email address and a role in an establishment: whom a digest may go to. */
    digestRecipients() {
      return db
        .selectFrom('users as u')
        .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
        .select(['u.id', 'u.display_name', 'u.email', 'ur.establishment_id', 'ur.role'])
        .where('u.enabled', '=', 1)
        .where('u.email', 'is not', null)
        .where('u.email', '<>', '')
        .where('ur.establishment_id', 'is not', null)
        .orderBy('u.id')
        .orderBy('ur.establishment_id')
        .execute()
    },

    /** Records a user's digest of a week; false when one was already recorded (by this run or another). */
    async insertDigest(
      trx: Kysely<Database>,
      row: { user_id: number; week: string; bulletins: string; sent_at: string },
    ): Promise<boolean> {
      const r = await trx
        .insertInto('bulletin_digests')
        .values(row)
        .onConflict(oc => oc.columns(['user_id', 'week']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return r !== undefined
    },
  }
}

export type BulletinRow = NonNullable<Awaited<ReturnType<ReturnType<typeof bulletinsRepository>['byId']>>>
