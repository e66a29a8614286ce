import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_NAMED_STATEMENTS, NAMED_AFTER, statementNames } from './database'

// PostgreSQL statements that recur run as named (prepared) statements: parsed and planned once per connection.

describe('statement names', () => {
  it('names a text from its third run on, the same name each time, a different one for another text', () => {
    assert.equal(NAMED_AFTER, 3)
    const nameOf = statementNames()
    const q = 'select * from prisoners where id = $1'
    assert.equal(nameOf(q), undefined)
    assert.equal(nameOf(q), undefined)
    const name = nameOf(q)
    assert.match(name ?? '', /^kw_[0-9a-f]{32}$/)
    assert.equal(nameOf(q), name)
    const other = 'select * from staff where id = $1'
    nameOf(other)
    nameOf(other)
    const otherName = nameOf(other)
    assert.ok(otherName && otherName !== name)
  })

  it(`names at most ${MAX_NAMED_STATEMENTS} texts; the named ones keep their names`, () => {
    const nameOf = statementNames()
    const text = (i: number) => `select ${i} where $1 = $1`
    for (let i = 0; i < MAX_NAMED_STATEMENTS + 10; i++) for (let k = 0; k < NAMED_AFTER; k++) nameOf(text(i))
    assert.ok(nameOf(text(0)))
    assert.ok(nameOf(text(MAX_NAMED_STATEMENTS - 1)))
    assert.equal(nameOf(text(MAX_NAMED_STATEMENTS)), undefined)
    assert.equal(nameOf(text(MAX_NAMED_STATEMENTS + 9)), undefined)
  })
})

if (process.env.TEST_DATABASE_URL) {
  describe('statement names on PostgreSQL', () => {
    it('runs a recurring query as a prepared statement of its connection; a one-off stays unnamed', async () => {
      const { openDatabase } = await import('./database')
      const { sql } = await import('kysely')
      const d = openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! })
      try {
        const prepared = await d.db.transaction().execute(async trx => {
          for (let i = 0; i < NAMED_AFTER + 1; i++) await sql`select ${i}::int + 1 as recurring`.execute(trx)
          await sql`select ${1}::int + 2 as once`.execute(trx)
          const r = await sql<{ statement: string }>`select statement from pg_prepared_statements
            where name like 'kw\\_%'`.execute(trx)
          return r.rows.map(x => x.statement)
        })
        assert.deepEqual(prepared, ['select $1::int + 1 as recurring'])
      } finally {
        await d.close()
      }
    })
  })
}
