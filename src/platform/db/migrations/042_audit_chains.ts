import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * The audit trail becomes one hash chain per establishment and one for events with no establishment (issue 18 point 6,
 * decision 021), so that establishments never wait for each other's audit writes: `chain` and `seq` (the event's
 * number in its chain, from 1 without gaps), unique together, and a head row per chain in `audit_chains` in place of
 * the single `audit_head` row. `audit_events.id` stays the global identity for ordering and paging, now taken from the
 * table's own identity.
 *
 * The events already written are not re-hashed: they become the chain 'legacy', numbered by their id, whose head is
 * the old head; `keywork audit verify` checks them by the rule they were written with, as before, so an edit made
 * before the migration is still found after it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)
  await run(sql`alter table audit_events add column chain text not null default 'legacy'`)
  await run(sql`alter table audit_events add column seq integer not null default 0`)
  await run(sql`update audit_events set seq = id`)
  if (dialect === 'postgres') {
    await run(sql`alter table audit_events alter column chain drop default`)
    await run(sql`alter table audit_events alter column seq drop default`)
  }
  await run(sql`create unique index audit_events_chain_seq on audit_events (chain, seq)`)

  await run(sql`create table audit_chains (
    chain text primary key,
    seq integer not null,
    hash text not null,
    last_id integer not null
  )`)
  await run(sql`insert into audit_chains (chain, seq, hash, last_id)
    select 'legacy', last_id, hash, last_id from audit_head where last_id > 0`)
  await run(sql`drop table audit_head`)

  // the old code gave ids from the head row; the identity takes over after the last one (SQLite's autoincrement
  // already counts explicit ids)
  if (dialect === 'postgres')
    await run(
      sql`select setval(pg_get_serial_sequence('audit_events', 'id'), max(id)) from audit_events having count(*) > 0`,
    )
}
