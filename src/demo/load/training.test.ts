import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { allocateDemo, qualityDeps, trainingDeps } from '../cli'
import type { Services } from '../../services'
import { loadDemoHistory } from '../statistics'
import { loadDemoQuality } from './quality'
import { type DemoTrainingSummary, loadDemoTraining } from './training'
import { addDays } from '../../domain/dates'
import { DEFAULT_TRAINING_RULES, trainingStatus } from '../../domain/training'

// `keywork demo`'s training records loaded after the quality year, re-read from the database through the records.

const TODAY = '2026-06-10'
const OPTIONS = { seed: 7, establishments: 2, prisonersPer: 120, today: TODAY }

describe('keywork demo: training and professional development', () => {
  let s: Services & { close(): Promise<void> }
  let summary: DemoTrainingSummary
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
    await loadDemoQuality(s.db, qualityDeps(s), { seed: OPTIONS.seed, today: TODAY })
    summary = await loadDemoTraining(s.db, trainingDeps(s), { seed: OPTIONS.seed, today: TODAY })
    ids = (await s.establishments.all()).map(e => e.id).sort((a, b) => a - b)
  })
  after(() => s.close())

  const count = async (
    table:
      | 'training_courses'
      | 'training_enrolments'
      | 'training_completions'
      | 'training_certificates'
      | 'training_feedback'
      | 'reflective_entries'
      | 'training_assignments',
  ) =>
    Number(
      (
        await s.db.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  /** Each Key Worker's status on the demo's day, from their start in post and the completions the records hold. */
  async function statuses(establishmentId: number) {
    const staff = await s.db.db
      .selectFrom('staff')
      .select(['id', 'started_in_post'])
      .where('establishment_id', '=', establishmentId)
      .where('key_worker', '=', 1)
      .where('status', '<>', 'inactive')
      .execute()
    const completions = await s.trainingRecords.completionsFor(staff.map(x => x.id))
    const journal = await s.journal.minutesFor(
      staff.map(x => x.id),
      addDays(TODAY, -400),
      TODAY,
    )
    return new Map(
      staff.map(x => [
        x.id,
        trainingStatus(
          DEFAULT_TRAINING_RULES,
          x.started_in_post,
          completions.get(x.id) ?? [],
          TODAY,
          journal.get(x.id) ?? [],
        ),
      ]),
    )
  }

  it('stores what it reports, one audit event per establishment, and the audit chain holds', async () => {
    assert.ok(summary.completions > 50, JSON.stringify(summary))
    assert.equal(await count('training_courses'), summary.courses)
    assert.equal(await count('training_enrolments'), summary.enrolments)
    assert.equal(await count('training_completions'), summary.completions)
    assert.equal(await count('training_certificates'), summary.certificates)
    assert.equal(await count('training_feedback'), summary.feedback)
    assert.equal(await count('reflective_entries'), summary.journal)
    assert.equal(await count('training_assignments'), summary.assignments)
    const events = await s.db.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('entity', '=', 'demo_training')
      .execute()
    assert.equal(events.length, 2)
    assert.equal((await s.audit.verify()).ok, true)
  })

  it('has Key Workers at every stage in each establishment', async () => {
    for (const id of ids) {
      const all = [...(await statuses(id)).values()]
      const n = (f: (x: (typeof all)[number]) => boolean) => all.filter(f).length
      for (const state of ['not_yet_due', 'in_window', 'overdue', 'done'] as const)
        assert.ok(n(x => x.initial.state === state) >= 1, `establishment ${id}: no officer ${state}`)
      for (const state of ['current', 'expiring', 'expired'] as const)
        assert.ok(n(x => x.topup.state === state) >= 1, `establishment ${id}: no top-up ${state}`)
      assert.ok(n(x => x.cpd.met) >= 1 && n(x => x.trained && !x.cpd.met) >= 1, `establishment ${id}: CPD`)
      assert.equal(
        n(x => x.initial.state === 'no_start_date'),
        0,
      )
    }
  })

  it('gives the demo Key Worker a record worth showing', async () => {
    const kw = await s.db.db
      .selectFrom('users')
      .innerJoin('staff', 'staff.user_id', 'users.id')
      .select(['staff.id', 'staff.establishment_id', 'users.id as userId'])
      .where('users.username', '=', 'keyworker')
      .executeTakeFirstOrThrow()
    const me = (await statuses(kw.establishment_id)).get(kw.id)!
    assert.equal(me.trained, true)
    assert.equal(me.topup.state, 'expiring')
    const record = await s.trainingRecords.record(kw.establishment_id, kw.id)
    assert.ok(record)
    const certificates = await s.db.db
      .selectFrom('training_certificates')
      .select(['code', 'superseded_by', 'module_title'])
      .where('staff_id', '=', kw.id)
      .execute()
    const old = certificates.find(c => c.superseded_by !== null)
    assert.ok(old, 'a certificate reissued after retraining')
    // the public check shows the current one as such and the earlier one as replaced
    const current = certificates.find(c => c.superseded_by === null && c.module_title === old.module_title)!
    const [a, b] = [await s.trainingRecords.verify(current.code), await s.trainingRecords.verify(old.code)]
    assert.ok(a && b)
    assert.notEqual(a.state, b.state)
    // the journal service shows the officer their own entries
    assert.ok((await s.journal.mine(kw.establishment_id, kw.userId)).entries.length >= 4)
    const entries = await s.db.db
      .selectFrom('reflective_entries')
      .select(['form', 'shared', 'minutes'])
      .where('staff_id', '=', kw.id)
      .execute()
    assert.ok(entries.length >= 4)
    assert.deepEqual([...new Set(entries.map(e => e.form))].sort(), ['gibbs', 'short'])
    assert.deepEqual([...new Set(entries.map(e => e.shared))].sort(), [0, 1])
    const booked = await s.db.db
      .selectFrom('training_enrolments as e')
      .innerJoin('training_course_days as d', 'd.course_id', 'e.course_id')
      .select('d.day')
      .where('e.staff_id', '=', kw.id)
      .where('e.status', '=', 'enrolled')
      .execute()
    assert.ok(
      booked.some(d => d.day > TODAY),
      'booked on a coming top-up',
    )
  })

  it('never has more officers holding places than a course has; one is full with a waiting list, one regional', async () => {
    const courses = await s.db.db.selectFrom('training_courses').selectAll().execute()
    const enrolments = await s.db.db.selectFrom('training_enrolments').selectAll().execute()
    let fullWithWaiting = 0
    for (const c of courses) {
      const mine = enrolments.filter(e => e.course_id === c.id)
      const holding = mine.filter(e => ['enrolled', 'completed', 'not_completed'].includes(e.status)).length
      assert.ok(holding <= c.capacity, `course ${c.id}: ${holding} > ${c.capacity}`)
      if (c.status === 'scheduled' && holding === c.capacity && mine.some(e => e.status === 'waiting'))
        fullWithWaiting++
    }
    assert.ok(fullWithWaiting >= 1)
    const regional = courses.filter(c => c.region !== null)
    assert.equal(regional.length, 1)
    assert.equal(regional[0]!.establishment_id, null)
    assert.equal(courses.filter(c => c.status === 'cancelled').length, 1)
    // ratings only from those who completed the course
    const feedback = await s.db.db.selectFrom('training_feedback').selectAll().execute()
    assert.ok(feedback.length > 5)
    for (const f of feedback)
      assert.ok(
        enrolments.some(e => e.course_id === f.course_id && e.staff_id === f.staff_id && e.status === 'completed'),
      )
    // the register of a completed course: every completer present every day
    const attendance = await s.db.db.selectFrom('training_attendance').selectAll().execute()
    const completions = await s.db.db.selectFrom('training_completions').selectAll().execute()
    for (const c of completions.filter(x => x.source === 'course'))
      assert.ok(attendance.some(a => a.course_id === c.course_id && a.staff_id === c.staff_id && a.present === 1))
    assert.ok(completions.some(c => c.source === 'csv') && completions.some(c => c.source === 'xapi'))
    // every completion names a module of the programme or the establishment's own
    for (const id of ids) {
      const modules = await s.training.modulesFor(id)
      assert.ok(modules.some(m => m.kind === 'local' && m.code.startsWith('LOCAL-')))
      const known = new Set(modules.map(m => m.id))
      assert.ok(
        completions.filter(c => c.establishment_id === id).every(c => c.module_id !== null && known.has(c.module_id)),
      )
    }
  })

  it('trains at least ten reviewed officers of the first establishment in the middle of the quality year', async () => {
    const mid = summary.midYear.find(m => m.establishmentId === ids[0])!.staffIds
    assert.ok(mid.length >= 10)
    const completions = await s.trainingRecords.completionsFor(mid)
    const reviews = await s.db.db
      .selectFrom('qa_reviews as r')
      .innerJoin('key_work_sessions as k', 'k.id', 'r.session_id')
      .select(['k.staff_id', 'k.session_date'])
      .where('r.kind', '=', 'sample')
      .where('k.staff_id', 'in', mid)
      .execute()
    for (const id of mid) {
      const on = completions.get(id)!.find(c => c.kind === 'initial')!.completedOn
      assert.ok(on > addDays(TODAY, -250) && on < addDays(TODAY, -100), `${id}: ${on}`)
      const mine = reviews.filter(r => r.staff_id === id)
      assert.ok(
        mine.filter(r => r.session_date! < on).length >= 2 && mine.filter(r => r.session_date! > on).length >= 2,
      )
    }
  })

  it('assigns top-ups from QA reviews of the officer’s own entries', async () => {
    const rows = await s.db.db
      .selectFrom('training_assignments as a')
      .innerJoin('qa_reviews as r', 'r.id', 'a.review_id')
      .innerJoin('key_work_sessions as k', 'k.id', 'r.session_id')
      .select(['a.staff_id', 'k.staff_id as reviewed', 'r.overall_score', 'a.module_code'])
      .execute()
    assert.ok(rows.length >= 1)
    for (const r of rows) {
      assert.equal(r.staff_id, r.reviewed)
      assert.ok(r.overall_score <= 2)
    }
  })

  // last: it empties the database
  it('keywork demo --reset keeps the national training policy and loads the training again', async () => {
    const r = await s.demo.load({ ...OPTIONS, establishments: 1, reset: true })
    assert.ok(r.ok)
    assert.ok(r.value.wiped.includes('training_completions') && !r.value.wiped.includes('training_policy'))
    const policy = await s.db.db.selectFrom('training_policy').select(['id', 'cpd_hours']).execute()
    assert.deepEqual(
      policy.map(p => [p.id, Number(p.cpd_hours)]),
      [[1, 6]],
    )
    // the programme the reset emptied is seeded again before the modules are looked up
    // (the establishments as they are now: the service's short cache may still hold the two before the reset)
    const establishments = { all: () => s.db.db.selectFrom('establishments').selectAll().execute() }
    const again = await loadDemoTraining(
      s.db,
      { ...trainingDeps(s), establishments },
      { seed: OPTIONS.seed, today: TODAY },
    )
    assert.ok(again.completions > 10)
    const initial = await s.training.moduleByCode('KW-INITIAL', null)
    assert.ok(initial)
    const completions = await s.db.db
      .selectFrom('training_completions')
      .select('module_id')
      .where('module_code', '=', 'KW-INITIAL')
      .execute()
    assert.ok(completions.length > 0 && completions.every(c => c.module_id === initial.id))
  })
})
