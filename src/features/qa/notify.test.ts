import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { NotifyConfig } from '../../config'
import { buildServices } from '../../services'
import { FAKE_API_KEY, startFakeNotify } from '../../../test/support/fakeNotify'
import { qaTestWorld } from '../../../test/support/qa'

const REFERRAL_TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
const REVIEW_TEMPLATE = '0b6c3e1a-5d2f-4c8e-9a71-3f2d1e0c9b8a'
const COMMENDATION_TEMPLATE = '7e9d2c4b-1a3f-4b5e-8c6d-2f1e0a9b8c7d'

const { world, s, mdi, actorFor, rubric, newEntry } = await qaTestWorld()
const fake = await startFakeNotify()
after(async () => {
  await fake.close()
  await world.close()
})
const so = await actorFor('supervising_officer.mdi')

/** The same database, with services configured to send through the fake Notify with the given templates. */
const withNotify = (templates: Partial<NotifyConfig>) =>
  buildServices(
    {
      ...s.config,
      notify: { apiKey: FAKE_API_KEY, referralTemplateId: REFERRAL_TEMPLATE, baseUrl: fake.url, ...templates },
    },
    s.db,
  )

const entry = (sessionDate: string) => newEntry({ sessionDate })

const review = (services: ReturnType<typeof withNotify>, sessionId: number) =>
  services.qa.recordReview(so, {
    sessionId,
    kind: 'chosen',
    scores: rubric.criteria.map(c => ({ criterionId: c.id, score: 3, comment: null })),
    overall: 3,
    good: 'The prisoner’s own words are recorded.',
    change: 'Set a goal with a date.',
  })

const outboxOf = async (reference: string) => (await s.mailer.byReferences(mdi.establishmentId, [reference]))[0]

describe('QA emails through GOV.UK Notify (a fake Notify server)', () => {
  it('sends a review’s feedback with the review template, the officer’s address and the text as personalisation', async () => {
    const notifying = withNotify({ qaReviewTemplateId: REVIEW_TEMPLATE, commendationTemplateId: COMMENDATION_TEMPLATE })
    const sessionId = await entry('2026-03-02')
    const before = fake.requests.length
    const r = await review(notifying, sessionId)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(fake.requests.length, before + 1)
    const req = fake.requests.at(-1)!
    assert.equal(req.path, '/v2/notifications/email')
    assert.ok(req.jwtValid, 'the JWT is signed with the key’s secret and issued by its service')
    assert.equal(req.body.template_id, REVIEW_TEMPLATE)
    assert.equal(req.body.email_address, 'kw.mdi@example.org')
    assert.equal(req.body.reference, `qa-review-${r.value.reviewId}`)
    assert.deepEqual(req.body.personalisation, {
      subject: 'Feedback on your key work entry',
      body:
        'supervising_officer.mdi has reviewed your key work entry of 2 March 2026 and scored it 3 – Good overall.\n\n' +
        'What was good: The prisoner’s own words are recorded.\n\n' +
        'One thing to do differently: Set a goal with a date.\n\n' +
        'Sign in to Key Work and open Feedback to read the scores for each criterion, acknowledge the review and reply.',
    })
    const kept = await outboxOf(`qa-review-${r.value.reviewId}`)
    assert.equal(kept?.template, 'qa-review')
    assert.equal(kept?.status, 'sent')
    assert.equal(kept?.notify_id, fake.ids.at(-1))
  })

  it('sends a commendation with the commendation template', async () => {
    const notifying = withNotify({ qaReviewTemplateId: REVIEW_TEMPLATE, commendationTemplateId: COMMENDATION_TEMPLATE })
    const sessionId = await entry('2026-03-03')
    const r = await notifying.qa.commend(so, mdi.establishmentId, { sessionId }, 'A clear plan, in his own words.')
    assert.ok(r.ok, JSON.stringify(r))
    const req = fake.requests.at(-1)!
    assert.equal(req.body.template_id, COMMENDATION_TEMPLATE)
    assert.equal(req.body.email_address, 'kw.mdi@example.org')
    assert.equal(req.body.reference, `commendation-${r.value.commendationId}`)
    assert.equal(req.body.personalisation?.subject, 'You have been commended for your key work')
    assert.equal(
      req.body.personalisation?.body,
      'supervising_officer.mdi has commended your key work entry of 3 March 2026:\n\n' +
        'A clear plan, in his own words.\n\nSign in to Key Work and open Feedback to see it.',
    )
    assert.equal((await outboxOf(`commendation-${r.value.commendationId}`))?.status, 'sent')
  })

  it('keeps a review’s email in the outbox, unsent, when only the referrals template is configured', async () => {
    const notifying = withNotify({})
    const sessionId = await entry('2026-03-04')
    const before = fake.requests.length
    const r = await review(notifying, sessionId)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(fake.requests.length, before, 'Notify was not called')
    const kept = await outboxOf(`qa-review-${r.value.reviewId}`)
    assert.equal(kept?.status, 'outbox')
    assert.equal(kept?.notify_id, null)
  })
})
