import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from './config'

describe('configuration', () => {
  it('defaults to SQLite under ./data on port 3000', () => {
    const c = loadConfig({})
    // synchronous FULL: a commit is on disk before the officer is told it is saved (decision 022)
    assert.deepEqual(c.database, { kind: 'sqlite', file: 'data/keywork.sqlite', synchronous: 'FULL' })
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

  it('reads the Notify templates of QA reviews and commendations, each optional beside the referrals one', () => {
    const key = `keywork_test-${'1'.repeat(36)}-${'2'.repeat(36)}`
    const referral = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
    const review = '0b6c3e1a-5d2f-4c8e-9a71-3f2d1e0c9b8a'
    const commendation = '7e9d2c4b-1a3f-4b5e-8c6d-2f1e0a9b8c7d'
    const env = { NOTIFY_API_KEY: key, NOTIFY_REFERRAL_TEMPLATE_ID: referral }
    assert.deepEqual(loadConfig(env).notify, { apiKey: key, referralTemplateId: referral })
    assert.deepEqual(
      loadConfig({ ...env, NOTIFY_QA_REVIEW_TEMPLATE_ID: review, NOTIFY_COMMENDATION_TEMPLATE_ID: ` ${commendation} ` })
        .notify,
      { apiKey: key, referralTemplateId: referral, qaReviewTemplateId: review, commendationTemplateId: commendation },
    )
    assert.throws(
      () => loadConfig({ ...env, NOTIFY_QA_REVIEW_TEMPLATE_ID: 'qa-review' }),
      /NOTIFY_QA_REVIEW_TEMPLATE_ID/,
    )
    assert.throws(
      () => loadConfig({ ...env, NOTIFY_COMMENDATION_TEMPLATE_ID: 'commendation' }),
      /NOTIFY_COMMENDATION_TEMPLATE_ID/,
    )
    assert.equal(loadConfig({ NOTIFY_QA_REVIEW_TEMPLATE_ID: review }).notify, null, 'no key: the outbox only')
  })
})
