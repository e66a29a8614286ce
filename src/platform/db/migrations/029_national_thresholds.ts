import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * The national overview's RAG thresholds (issue 17): one row a measure, set by the national team and read back in
 * words on the overview: green at / amber at, and whether higher or lower is better; who changed it last and when
 * (every change is audited too). Seeded with the defaults below.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const real = sql.raw(dialect === 'postgres' ? 'double precision' : 'real')
  await sql`create table national_thresholds (
    measure text primary key,
    green ${real} not null,
    amber ${real} not null,
    direction text not null,
    updated_at text,
    updated_by text
  )`.execute(db)
  const defaults: [string, number, number, 'higher' | 'lower'][] = [
    ['compliance', 85, 70, 'higher'],
    ['seen28', 90, 75, 'higher'],
    ['qa_score', 3, 2.5, 'higher'],
    ['initial_course', 90, 75, 'higher'],
    ['cpd', 80, 60, 'higher'],
    ['interpreter', 90, 75, 'higher'],
    ['referrals', 80, 60, 'higher'],
    ['caseload', 90, 100, 'lower'],
    ['private', 80, 60, 'higher'],
  ]
  for (const [measure, green, amber, direction] of defaults)
    await sql`insert into national_thresholds (measure, green, amber, direction, updated_at, updated_by)
      values (${measure}, ${green}, ${amber}, ${direction}, null, null)`.execute(db)
}
