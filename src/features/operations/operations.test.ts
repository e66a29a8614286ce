import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { loadConfig } from '../../config'
import { buildServices } from '../../services'
import { migrateToLatest } from '../../platform/db/migrate'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { testServices } from '../../../test/harness'
import { backup, checkBackup, restore } from './backup'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../../..')

describe('audit verify', () => {
  it('passes on an untouched trail and detects an edited, a deleted and a truncated event', async () => {
    const s = await testServices()
    try {
      for (const code of ['AAA', 'BBB', 'CCC']) {
        const r = await s.establishments.create(SYSTEM_ACTOR, { code, name: code, category: 'Cat C', region: 'North' })
        assert.ok(r.ok)
      }
      const clean = await s.audit.verify()
      assert.equal(clean.ok, true)
      assert.equal(clean.checked, 3)

      await sql`update audit_events set entity_id = '999' where id = 2`.execute(s.db.db)
      const edited = await s.audit.verify()
      assert.equal(edited.ok, false)
      assert.deepEqual(
        edited.problems.map(p => p.id),
        [2],
      )

      await sql`delete from audit_events where id = 2`.execute(s.db.db)
      const deleted = await s.audit.verify()
      assert.equal(deleted.ok, false)
      assert.ok(deleted.problems.some(p => /missing/.test(p.problem)))
    } finally {
      await s.close()
    }
  })

  it('notices the newest events removed', async () => {
    const s = await testServices()
    try {
      await s.establishments.create(SYSTEM_ACTOR, { code: 'AAA', name: 'A', category: 'Cat C', region: 'North' })
      await s.establishments.create(SYSTEM_ACTOR, { code: 'BBB', name: 'B', category: 'Cat C', region: 'North' })
      await sql`delete from audit_events where id = 2`.execute(s.db.db)
      const r = await s.audit.verify()
      assert.equal(r.ok, false)
      assert.match(r.problems[0]!.problem, /last 1 event/)
    } finally {
      await s.close()
    }
  })
})

describe('backup and restore (SQLite)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-backup-'))
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('backs up online, restores the earlier state and keeps the replaced file', async () => {
    const file = path.join(dir, 'live.sqlite')
    const config = {
      ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      database: { kind: 'sqlite' as const, file },
    }
    let s = buildServices(config)
    await migrateToLatest(s.db)
    await s.establishments.create(SYSTEM_ACTOR, { code: 'MDI', name: 'Moorland', category: 'Cat C', region: 'North' })
    const copy = path.join(dir, 'copy.sqlite')
    const r = await backup(s.db, copy)
    assert.ok(r.ok)
    assert.equal(checkBackup(copy), null)
    assert.equal((await backup(s.db, copy)).ok, false, 'never overwrites')
    await s.establishments.create(SYSTEM_ACTOR, { code: 'LEI', name: 'Leeds', category: 'Cat B', region: 'North' })
    await s.close()

    const restored = restore(config.database, copy)
    assert.ok(restored.ok)
    assert.ok(restored.replaced && fs.existsSync(restored.replaced))

    s = buildServices(config)
    assert.deepEqual(
      (await s.establishments.all()).map(e => e.code),
      ['MDI'],
    )
    assert.equal((await s.audit.verify()).ok, true)
    await s.close()
  })

  it('refuses a file that is not a keywork database', () => {
    const junk = path.join(dir, 'junk.sqlite')
    fs.writeFileSync(junk, 'not a database at all')
    const r = restore({ kind: 'sqlite', file: path.join(dir, 'x.sqlite') }, junk)
    assert.equal(r.ok, false)
    assert.equal(fs.existsSync(path.join(dir, 'x.sqlite')), false)
  })

  it('refuses a common password from the command line, and makes the one it sets be changed at first sign-in', async () => {
    const file = path.join(dir, 'cli-password.sqlite')
    const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }
    const create = (username: string, password: string) =>
      run(
        'node',
        [
          'bin/keywork.js',
          'users',
          'create',
          '--username',
          username,
          '--name',
          'Ops',
          '--role',
          'NATIONAL_POLICY',
        ].concat(['--password', password]),
        { cwd: root, env },
      )
    await assert.rejects(create('ops.common', 'password123456'), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1)
      assert.match(err.stderr, /common/i)
      return true
    })
    await create('ops.fine', 'a long enough password')
    const s = buildServices({
      ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      database: { kind: 'sqlite', file },
    })
    const rows = await s.db.db.selectFrom('users').select(['username', 'must_change_password']).execute()
    await s.close()
    assert.deepEqual(rows, [{ username: 'ops.fine', must_change_password: 1 }])
  })

  it('runs from the command line: audit verify exits 1 on a tampered trail', async () => {
    const file = path.join(dir, 'cli.sqlite')
    const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }
    await run(
      'node',
      [
        'bin/keywork.js',
        'users',
        'create',
        '--username',
        'ops.user',
        '--name',
        'Ops',
        '--role',
        'NATIONAL_POLICY',
        '--password',
        'a long enough password',
      ],
      { cwd: root, env },
    )
    const ok = await run('node', ['bin/keywork.js', 'audit', 'verify'], { cwd: root, env })
    // the national guide and worksheets, the national quality rubric and the national training programme seeded at
    // first start, and the user
    assert.match(ok.stdout, /intact: 5 events checked/)
    const s = buildServices({
      ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      database: { kind: 'sqlite', file },
    })
    await sql`update audit_events set username = 'someone else'`.execute(s.db.db)
    await s.close()
    await assert.rejects(
      run('node', ['bin/keywork.js', 'audit', 'verify'], { cwd: root, env }),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1)
        assert.match(err.stderr, /event 1 \(chain national\): has been changed/)
        return true
      },
    )
  })
})
