import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { prepared } from './prepared'

describe('prepared queries', () => {
  it('binds new values on every call, keeps constants, and works inside a transaction', async () => {
    const s = await testServices()
    try {
      const now = new Date().toISOString()
      for (const code of ['AAA', 'BBB']) {
        await s.db.db
          .insertInto('establishments')
          .values({
            code,
            name: `Name ${code}`,
            category: 'c',
            region: 'r',
            enabled: 1,
            ratio: null,
            frequency_weeks: null,
            session_minutes: null,
            created_at: now,
            updated_at: now,
          })
          .execute()
      }
      const byCode = prepared(s.db.db, 1, (code: string) =>
        s.db.db.selectFrom('establishments').select(['code', 'name']).where('code', '=', code).where('enabled', '=', 1),
      )
      assert.deepEqual(await byCode(s.db.db, 'AAA'), [{ code: 'AAA', name: 'Name AAA' }])
      assert.deepEqual(await byCode(s.db.db, 'BBB'), [{ code: 'BBB', name: 'Name BBB' }])
      assert.deepEqual(await byCode(s.db.db, 'ZZZ'), [])
      const inTrx = await s.db.db.transaction().execute(trx => byCode(trx, 'BBB'))
      assert.equal(inTrx[0]?.name, 'Name BBB')
    } finally {
      await s.close()
    }
  })
})
