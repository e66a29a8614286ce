import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { allocateDemo, qualityDeps } from '../cli'
import type { Services } from '../../services'
import { loadDemoHistory } from '../statistics'
import { type DemoQualitySummary, loadDemoQuality } from './quality'
import { LIBRARY_ENTRIES } from '../generator/quality'
import { NATIONAL_CODES } from '../../domain/rubric'

// `keywork demo`'s year of quality assurance loaded after the history, re-read from the database.

const TODAY = '2026-06-10'
const OPTIONS = { seed: 7, establishments: 2, prisonersPer: 120, today: TODAY }

describe('keywork demo: a year of quality assurance', () => {
  let s: Services & { close(): Promise<void> }
  let summary: DemoQualitySummary
  let ids: number[]
  before(async () => {
    s = await testServices()
    const r = await s.demo.load({ ...OPTIONS, reset: false })
    assert.ok(r.ok)
    await allocateDemo(s)
    await loadDemoHistory(
      s.db,
      { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
      { seed: OPTIONS.seed, today: TODAY },
    )
    summary = await loadDemoQuality(s.db, qualityDeps(s), { seed: OPTIONS.seed, today: TODAY })
    ids = (await s.establishments.all()).map(e => e.id).sort((a, b) => a - b)
  })
  after(() => s.close())

  it('keeps the statistics’ days in step with the entries it changed (dates, pre-checks)', async () => {
    for (const id of ids) {
      const { stored, fresh } = await s.statistics.verify(id)
      const rows = stored.daily.map(d => `${d.day} ${d.delivered} ${d.not_delivered} ${d.precheck_n} ${d.precheck_sum}`)
      const recount = [...fresh]
        .filter(([, a]) => a.delivered + a.notDelivered > 0)
        .map(([day, a]) => `${day} ${a.delivered} ${a.notDelivered} ${a.precheckN} ${a.precheckSum}`)
      assert.deepEqual(rows.sort(), recount.sort())
      // the pre-checks counted here from the entries
      const e = await s.db.db
        .selectFrom('key_work_sessions')
        .select(['precheck_score'])
        .where('establishment_id', '=', id)
        .where('status', '=', 'submitted')
        .where('precheck_score', 'is not', null)
        .execute()
      assert.ok(e.length > 100, 'the demo has entries with a pre-check')
      assert.equal(
        stored.daily.reduce((sum, d) => sum + Number(d.precheck_n), 0),
        e.length,
      )
      assert.equal(
        stored.daily.reduce((sum, d) => sum + Number(d.precheck_sum), 0),
        e.reduce((sum, x) => sum + Math.round(Number(x.precheck_score) * 10_000), 0),
      )
    }
  })

  const count = async (
    table:
      | 'qa_samples'
      | 'qa_reviews'
      | 'qa_review_scores'
      | 'qa_commendations'
      | 'good_practice'
      | 'supervisions'
      | 'qa_calibrations'
      | 'integrity_flags',
  ) =>
    Number(
      (
        await s.db.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('stores what it reports: samples, reviews with a score per criterion, commendations, library, supervision', async () => {
    assert.ok(summary.samples > 100, JSON.stringify(summary))
    assert.equal(await count('qa_samples'), summary.samples)
    assert.equal(await count('qa_reviews'), summary.reviews)
    assert.equal(await count('qa_commendations'), summary.commendations)
    assert.equal(await count('good_practice'), summary.nominations)
    assert.equal(await count('supervisions'), summary.supervisions)
    assert.equal(await count('qa_calibrations'), 1)
    assert.equal(await count('integrity_flags'), summary.flags)
    // every review scored against the nine national criteria of version 1
    assert.equal(await count('qa_review_scores'), summary.reviews * NATIONAL_CODES.length)
    const reviewed = await s.db.db.selectFrom('qa_samples').select('id').where('status', '=', 'reviewed').execute()
    const sampleReviews = await s.db.db
      .selectFrom('qa_reviews')
      .select(['sample_id'])
      .where('kind', '=', 'sample')
      .execute()
    assert.deepEqual(sampleReviews.map(r => r.sample_id).sort(), reviewed.map(r => r.id).sort())
    assert.ok(reviewed.length / summary.samples > 0.8)
    // the library: three published entries (two from the first establishment, one from the second), names removed
    const published = await s.db.db
      .selectFrom('good_practice')
      .select(['title', 'text', 'establishment_id'])
      .where('status', '=', 'published')
      .execute()
    assert.equal(published.length, 3)
    assert.ok(published.every(p => p.title && p.text?.includes('[Name]')))
    assert.deepEqual(published.map(p => p.title).sort(), LIBRARY_ENTRIES.map(l => l.title).sort())
  })

  it('has each establishment’s Supervising Officers review, never their own entries; the first has three', async () => {
    const reviewers = await s.db.db
      .selectFrom('qa_reviews')
      .innerJoin('key_work_sessions', 'key_work_sessions.id', 'qa_reviews.session_id')
      .innerJoin('user_roles', 'user_roles.user_id', 'qa_reviews.reviewer_user_id')
      .leftJoin('staff', 'staff.user_id', 'qa_reviews.reviewer_user_id')
      .select([
        'qa_reviews.establishment_id',
        'user_roles.role',
        'user_roles.establishment_id as role_establishment',
        'staff.id as reviewer_staff',
        'key_work_sessions.staff_id',
        'qa_reviews.reviewer_user_id',
      ])
      .execute()
    for (const r of reviewers) {
      assert.equal(r.role, 'SUPERVISING_OFFICER')
      assert.equal(r.role_establishment, r.establishment_id)
      assert.notEqual(r.reviewer_staff, r.staff_id)
    }
    const per = (id: number) => new Set(reviewers.filter(r => r.establishment_id === id).map(r => r.reviewer_user_id))
    assert.equal(per(ids[0]!).size, 3)
    assert.equal(per(ids[1]!).size, 2)
    // the demo's own Supervising Officer is one of them
    const supervisor = await s.db.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow()
    assert.ok(per(ids[0]!).has(supervisor.id))
  })

  it('tells the Key Worker who signs in of the reviews still to read, linked to each', async () => {
    const kw = await s.db.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'keyworker')
      .executeTakeFirstOrThrow()
    const unread = await s.db.db
      .selectFrom('qa_reviews')
      .select('id')
      .where('officer_user_id', '=', kw.id)
      .where('kind', '=', 'sample')
      .where('read_at', 'is', null)
      .execute()
    const notices = await s.db.db
      .selectFrom('user_notices')
      .select(['user_id', 'kind', 'link', 'message'])
      .where('kind', '=', 'qa-review')
      .execute()
    assert.ok(unread.length > 0)
    assert.deepEqual(notices.map(n => n.link).sort(), unread.map(r => `/my-feedback/review?id=${r.id}`).sort())
    assert.ok(
      notices.every(n => n.user_id === kw.id && / reviewed your entry of \d{1,2} [A-Z][a-z]+ \d{4}: /.test(n.message)),
    )
  })

  it('the calibration is closed, with three markers each scoring the same ten entries', async () => {
    const c = await s.db.db.selectFrom('qa_calibrations').selectAll().executeTakeFirstOrThrow()
    assert.equal(c.status, 'closed')
    const entries = await s.db.db
      .selectFrom('qa_calibration_entries')
      .select('session_id')
      .where('calibration_id', '=', c.id)
      .execute()
    const markers = await s.db.db
      .selectFrom('qa_calibration_markers')
      .select('user_id')
      .where('calibration_id', '=', c.id)
      .execute()
    assert.deepEqual([entries.length, markers.length], [10, 3])
    const marks = await s.db.db
      .selectFrom('qa_reviews')
      .select(['session_id', 'reviewer_user_id'])
      .where('calibration_id', '=', c.id)
      .execute()
    assert.equal(marks.length, 30)
    assert.equal(new Set(marks.map(m => `${m.session_id}:${m.reviewer_user_id}`)).size, 30)
  })

  it('the integrity scan finds the planted copies and overlapping sessions; some flags are resolved', async () => {
    assert.equal(summary.planted.filter(p => p.kind === 'near_duplicate').length, 6)
    assert.equal(summary.planted.filter(p => p.kind === 'overlap').length, 6)
    const flags = await s.db.db
      .selectFrom('integrity_flags')
      .select(['kind', 'session_id', 'other_session_id', 'status', 'outcome', 'note', 'resolved_at', 'raised_at'])
      .execute()
    for (const p of summary.planted) {
      const pair = [p.sessionId, p.otherSessionId].sort((a, b) => a - b)
      assert.ok(
        flags.some(
          f =>
            f.kind === p.kind && [f.session_id, f.other_session_id ?? 0].sort((a, b) => a - b).join() === pair.join(),
        ),
        `${p.kind} ${pair.join(' and ')} not flagged`,
      )
    }
    const resolved = flags.filter(f => f.status === 'resolved')
    assert.equal(resolved.length, summary.resolved)
    assert.ok(resolved.length > 0 && resolved.length < flags.length)
    for (const f of resolved) {
      assert.ok(f.outcome && f.note && f.resolved_at! > f.raised_at, JSON.stringify(f))
      assert.ok(f.resolved_at!.slice(0, 10) < TODAY)
    }
    assert.ok(flags.filter(f => f.status === 'open').every(f => !f.outcome && !f.resolved_at))
  })

  it('stores a pre-check with recent delivered entries, and the audit chain holds', async () => {
    const rows = await s.db.db
      .selectFrom('key_work_sessions')
      .select(['precheck', 'precheck_score', 'session_date', 'outcome'])
      .execute()
    const recent = rows.filter(r => r.outcome === 'delivered' && r.session_date! >= '2026-03-12')
    assert.ok(recent.length > 50)
    assert.ok(recent.every(r => r.precheck !== null))
    assert.ok(rows.filter(r => r.outcome !== 'delivered').every(r => r.precheck === null))
    const p = JSON.parse(recent[0]!.precheck!) as { rubricVersion: number; estimates: Record<string, number | null> }
    assert.equal(p.rubricVersion, 1)
    assert.deepEqual(Object.keys(p.estimates).sort(), [...NATIONAL_CODES].sort())
    assert.equal((await s.audit.verify()).ok, true)
  })
})
