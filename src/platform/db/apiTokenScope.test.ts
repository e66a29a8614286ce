import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { type Db, openDatabase } from './database'
import { migrateToLatest } from './migrate'

// Migration 028 gives api_tokens a scope. A database as migration 027 left it, with tokens named by the old rule of
// the xAPI routes (an establishment's token whose name began with the word "xAPI"), is migrated: those become
// 'xapi', every other token (a national one named "xAPI" too) 'hsds'. Expected scopes written by hand.

const url = process.env.TEST_DATABASE_URL
const schema = `t_${crypto.randomBytes(6).toString('hex')}`
let d: Db

async function admin(query: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query(query)
  await c.end()
}

before(async () => {
  if (url) await admin(`create schema ${schema}`)
  d = openDatabase(url ? { kind: 'postgres', url, schema } : { kind: 'sqlite', file: ':memory:' })
})
after(async () => {
  await d.db.destroy()
  if (url) await admin(`drop schema ${schema} cascade`)
})

describe('migration 028: the scope of API tokens', () => {
  it('makes the tokens the old naming rule let into xAPI xapi, and every other one hsds', async () => {
    const upTo027 = await migrateToLatest(d, '027_training_indexes')
    assert.equal(upTo027.at(-1), '027_training_indexes')
    const at = '2026-01-05T10:00:00.000Z'
    const est = async (code: string) =>
      Number(
        (
          await d.db
            .insertInto('establishments')
            .values({ code, name: code, category: 'B', region: 'North', enabled: 1, created_at: at, updated_at: at })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      )
    const mdi = await est('MDI')
    const lei = await est('LEI')
    // name → [owner, scope expected after 028]
    const tokens: [string, number | null, 'hsds' | 'xapi'][] = [
      ['xAPI learning record store', mdi, 'xapi'],
      ['XAPI-LRS', mdi, 'xapi'],
      ['xapi', lei, 'xapi'],
      ['Xapi: Totara', lei, 'xapi'],
      ['Leeds City Council', mdi, 'hsds'],
      ['xapitest', mdi, 'hsds'], // not the word xAPI: the old rule refused it
      ['LRS for xAPI', mdi, 'hsds'],
      ['xAPI national', null, 'hsds'], // a national token never had xAPI
    ]
    for (const [i, [name, owner]] of tokens.entries())
      await d.db
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table as 027 left it, without scope
        .insertInto('api_tokens' as any)
        .values({
          establishment_id: owner,
          name,
          token_hash: `hash-${i}`,
          created_by_user_id: null,
          created_by: 'establishment_admin.mdi',
          created_at: at,
          revoked_at: name === 'XAPI-LRS' ? at : null,
        })
        .execute()

    assert.deepEqual(await migrateToLatest(d, '028_api_token_scope'), ['028_api_token_scope'])
    const rows = await d.db.selectFrom('api_tokens').select(['name', 'scope']).orderBy('id').execute()
    assert.deepEqual(
      rows.map(r => [r.name, r.scope]),
      tokens.map(([name, , scope]) => [name, scope]),
    )

    // a token made after it without a scope is a directory token
    await d.db
      .insertInto('api_tokens')
      .values({ establishment_id: mdi, name: 'xAPI new', token_hash: 'new', created_by: 'x', created_at: at })
      .execute()
    const added = await d.db
      .selectFrom('api_tokens')
      .select('scope')
      .where('token_hash', '=', 'new')
      .executeTakeFirstOrThrow()
    assert.equal(added.scope, 'hsds')
  })
})
