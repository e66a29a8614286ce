import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Data protection (issue 18): the national retention rule (personal data of a man anonymised a set number of years
 * after his last release; one row, id 1), and the record of each prisoner record the daily job anonymised (so a
 * second run finds nothing to do).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)

  await run(sql`create table retention_settings (
    id integer primary key,
    years_after_release integer not null default 6,
    updated_at text not null,
    updated_by text not null
  )`)
  await run(
    sql`insert into retention_settings (id, updated_at, updated_by) values (1, '2026-01-01T00:00:00.000Z', 'system')`,
  )

  await run(sql`create table retention_anonymised (
    prisoner_id integer primary key references prisoners(id),
    establishment_id integer not null references establishments(id),
    anonymised_at text not null
  )`)
}
