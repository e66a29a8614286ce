import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import type SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Db, openDatabase } from '../../platform/db/database'
import { migrateToLatest } from '../../platform/db/migrate'
import { prisonerThreadRepository } from './threadRepository'
import { Random } from '../../domain/random'
import { insertEstablishment, randomSession, seedPeople } from '../../../test/support/statisticsFixtures'

// SQLite plans a query from its statistics (sqlite_stat1) or, without them, from fixed guesses. Guessing, it read a
// prisoner's last session on his page by walking the whole establishment's sessions in date order until one was his
// (10 ms a page on the demo instead of 0.3). These tests are SQLite's whatever TEST_DATABASE_URL says: each opens its
// own SQLite database, as the service does.

const PRISONERS = 120
const SESSIONS = 3000

/** Two establishments' prisoners and sessions, written straight into the tables in one transaction. */
async function fill(d: Db) {
  await migrateToLatest(d)
  const now = new Date().toISOString()
  const ids = [await insertEstablishment(d.db, 'AAA'), await insertEstablishment(d.db, 'BBB')]
  const rng = new Random(7)
  const seeded = await seedPeople(d.db, ids[0]!, rng, PRISONERS)
  const rows = Array.from({ length: SESSIONS }, (_, i) => ({
    ...randomSession(rng, seeded, `planner-${i}`),
    status: 'submitted' as const,
  }))
  await d.db.transaction().execute(async trx => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('key_work_sessions')
        .values(rows.slice(i, i + 200))
        .execute()
    // a goal set in every third session
    const sessions = await trx.selectFrom('key_work_sessions').select(['id', 'prisoner_id']).execute()
    const goals = sessions
      .filter((_, i) => i % 3 === 0)
      .map(k => ({
        establishment_id: ids[0]!,
        prisoner_id: k.prisoner_id,
        set_in_session_id: k.id,
        description: 'A goal',
        measure: 'Measured',
        target_date: null,
        status: rng.pick(['open', 'in_progress', 'achieved', 'dropped']),
        updated_in_session_id: null,
        created_at: now,
        updated_at: now,
      }))
    for (let i = 0; i < goals.length; i += 200)
      await trx
        .insertInto('session_goals')
        .values(goals.slice(i, i + 200))
        .execute()
  })
  // a man with sessions
  const { prison_number: prisonNumber } = await d.db
    .selectFrom('prisoners')
    .select('prison_number')
    .where('id', '=', rows[0]!.prisoner_id)
    .executeTakeFirstOrThrow()
  return { establishmentId: ids[0]!, prisonNumber }
}

/**
 * The plans SQLite takes for the statements `run` executes, through a Kysely of its own over the same connection
 * (the service's caches its prepared statements): each statement's text and bound values are caught as they run,
 * then explained with the same values.
 */
async function plansOf(conn: SQLite.Database, run: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
  const seen: { text: string; values: unknown[] }[] = []
  const catching = {
    close() {},
    prepare(text: string) {
      const stmt = conn.prepare(text)
      const caught = (values: unknown[]) => seen.push({ text, values })
      return {
        reader: stmt.reader,
        all: (...values: unknown[]) => (caught(values), stmt.all(...values)),
        run: (...values: unknown[]) => (caught(values), stmt.run(...values)),
        iterate: (...values: unknown[]) => (caught(values), stmt.iterate(...values)),
      }
    },
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: catching as never }) })
  await run(db)
  assert.ok(seen.length > 0, 'no statement ran')
  return seen.map(({ text, values }) =>
    (conn.prepare(`explain query plan ${text}`).all(...values) as { detail: string }[]).map(r => r.detail).join('; '),
  )
}

/** The prisoner page's one statement, planned as it runs: its subqueries' plans in one text. */
async function pagePlan(d: Db, establishmentId: number, prisonNumber: string) {
  const plans = await plansOf(d.sqlite!, async db => {
    const page = await prisonerThreadRepository(db, 'sqlite').page(establishmentId, prisonNumber)
    assert.ok(page && page.allocations.length + (page.last ? 1 : 0) > 0, 'the page found his record and sessions')
  })
  assert.equal(plans.length, 1, 'the page is one statement')
  return plans[0]!
}

/** His last sessions found by walking the prisoner's index, and his goals by theirs: never the establishment's. */
function assertByPrisoner(plan: string) {
  assert.match(plan, /SEARCH k USING INDEX key_work_sessions_prisoner \(prisoner_id=\?/, plan)
  assert.doesNotMatch(plan, /key_work_sessions_establishment/, plan)
  assert.match(plan, /SEARCH g USING INDEX session_goals_prisoner \(prisoner_id=\?/, plan)
}

describe('SQLite planner statistics', () => {
  it('a database opened with data in it is analysed on opening: the last session is found by the prisoner index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-planner-'))
    try {
      const file = path.join(dir, 'k.sqlite')
      const first = openDatabase({ kind: 'sqlite', file })
      const { establishmentId, prisonNumber } = await fill(first)
      // written and never analysed: SQLite guesses, and takes the establishment's index (the walk through every
      // session of the establishment that this test is about)
      assert.match(await pagePlan(first, establishmentId, prisonNumber), /key_work_sessions_establishment/)
      await first.close()

      const again = openDatabase({ kind: 'sqlite', file })
      try {
        assertByPrisoner(await pagePlan(again, establishmentId, prisonNumber))
      } finally {
        await again.close()
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('optimize() after a bulk load in the same process analyses the tables that grew', async () => {
    const d = openDatabase({ kind: 'sqlite', file: ':memory:' })
    try {
      const { establishmentId, prisonNumber } = await fill(d)
      assert.match(await pagePlan(d, establishmentId, prisonNumber), /key_work_sessions_establishment/)
      await d.optimize()
      assertByPrisoner(await pagePlan(d, establishmentId, prisonNumber))
    } finally {
      await d.close()
    }
  })
})
