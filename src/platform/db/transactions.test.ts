import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { type Db, openDatabase } from './database'

// The service's SQLite file is also opened by `keywork` commands while it runs (a backup, `users create`, `audit
// verify`). A transaction of the service's that has read must still be able to write when such a process commits in
// between: with SQLite's default (DEFERRED) transactions that write failed at once with SQLITE_BUSY_SNAPSHOT, and an
// officer's draft save answered 500 during a backup. This test is about SQLite whichever engine the suite runs on.

describe('SQLite transactions and another process writing to the same file', () => {
  let dir: string
  let file: string
  let service: Db
  let other: SQLite.Database
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-trx-'))
    file = path.join(dir, 'keywork.sqlite')
    service = openDatabase({ kind: 'sqlite', file })
    await sql`create table notes (id integer primary key, text text not null)`.execute(service.db)
    // the other process, as a `keywork` command opens the file; no wait for the lock, so a refusal shows at once
    other = new SQLite(file)
    other.pragma('busy_timeout = 0')
  })
  after(async () => {
    other?.close()
    await service?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('a transaction that read and then writes keeps its write when another process tries to commit in between', async () => {
    const refusals: string[] = []
    await service.db.transaction().execute(async trx => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(trx)
      assert.equal(rows[0]!.n, 0)
      // the other process tries to write while the transaction is open: it must wait for the lock (here it gives up)
      try {
        other.prepare("insert into notes (text) values ('from the command')").run()
      } catch (err) {
        refusals.push((err as { code?: string }).code ?? String(err))
      }
      await sql`insert into notes (text) values ('from the service')`.execute(trx)
    })
    assert.deepEqual(refusals, ['SQLITE_BUSY'])
    // once the service's transaction has committed, the command writes
    other.prepare("insert into notes (text) values ('from the command, again')").run()
    const texts = other.prepare('select text from notes order by id').pluck().all()
    assert.deepEqual(texts, ['from the service', 'from the command, again'])
  })
})
