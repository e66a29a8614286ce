import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from './config'

describe('configuration', () => {
  it('defaults to SQLite under ./data on port 3000', () => {
    const c = loadConfig({})
    assert.deepEqual(c.database, { kind: 'sqlite', file: 'data/keywork.sqlite' })
    assert.equal(c.port, 3000)
  })

  it('selects PostgreSQL from DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })
    assert.equal(c.database.kind, 'postgres')
  })

  it('fails fast naming every bad variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' }),
      (err: Error) => {
        assert.match(err.message, /PORT/)
        assert.match(err.message, /DATABASE_URL: must start with postgres/)
        return true
      },
    )
  })

  it('ends sessions 12 hours after sign-in unless told otherwise, and refuses a lifetime that is not whole hours', () => {
    assert.equal(loadConfig({}).sessionAbsoluteHours, 12)
    assert.equal(loadConfig({ SESSION_ABSOLUTE_HOURS: '8' }).sessionAbsoluteHours, 8)
    assert.throws(() => loadConfig({ SESSION_ABSOLUTE_HOURS: 'a shift' }), /SESSION_ABSOLUTE_HOURS/)
    assert.throws(() => loadConfig({ SESSION_ABSOLUTE_HOURS: '0' }), /SESSION_ABSOLUTE_HOURS/)
  })

  it('requires a session secret in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET/)
  })
})
