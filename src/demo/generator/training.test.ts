import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { DEFAULT_TRAINING_RULES, type CompletionFact, trainingStatus } from '../../domain/training'
import { DEMO_CODE_ALPHABET, type TrainingInput, type TrainingPlan, generateTraining } from './training'

// The demo's training year for one establishment: every stage present, the same plan for the same seed, courses never
// over capacity, certificates for what was done (one reissued), and a dozen officers trained in the middle of the
// quality year.

const TODAY = '2026-06-10'

/** 60 Key Workers who started from two weeks to twelve years ago, three Supervising Officers, the year's reviews. */
function input(seed = 3, today = TODAY): TrainingInput {
  const TODAY = today
  const officers = Array.from({ length: 60 }, (_, k) => ({
    staffId: 100 + k,
    userId: k === 0 ? 9 : null,
    name: `Officer ${k}`,
    startedInPost: addDays(TODAY, -(14 + k * 73)),
    keyWorker: true,
  }))
  // the demo Key Worker (staff 100, user 9) started two weeks ago: the generator moves their start back
  const supervisors = [
    { userId: 1, name: 'Sam Supervisor', staffId: 200 },
    { userId: 2, name: 'Alex Second', staffId: 201 },
    { userId: 3, name: 'Jo Third', staffId: null },
  ]
  const soStaff = [
    { staffId: 200, userId: 1, name: 'Sam Supervisor', startedInPost: '2015-03-01', keyWorker: false },
    { staffId: 201, userId: 2, name: 'Alex Second', startedInPost: '2019-09-30', keyWorker: false },
  ]
  let id = 1
  const reviews = officers.flatMap(o =>
    Array.from({ length: 24 }, (_, k) => {
      const date = addDays(TODAY, -(8 + k * 15))
      return {
        id: id++,
        staffId: o.staffId,
        date,
        submittedAt: `${addDays(date, 6)}T10:00:00.000Z`,
        overall: ((o.staffId + k) % 4) + 1,
        reviewerUserId: 1,
        reviewer: 'Sam Supervisor',
      }
    }),
  )
  return {
    seed,
    stream: 1,
    today: TODAY,
    establishment: { code: 'LEI', name: 'HMP Leeds', region: 'Yorkshire' },
    officers: [...officers, ...soStaff],
    supervisors,
    showcaseStaffId: 100,
    reviews,
    modules: [
      {
        code: 'KW-INITIAL',
        title: 'Key Worker initial course',
        kind: 'initial',
        format: 'workshop',
        hours: 30,
        days: 5,
      },
      { code: 'KW-TOPUP-MI', title: 'MI refresher', kind: 'topup', format: 'practical', hours: 3, days: 1 },
      { code: 'KW-TOPUP-ENTRIES', title: 'Entries that matter', kind: 'topup', format: 'workshop', hours: 2, days: 1 },
      { code: 'KW-TOPUP-MH', title: 'Mental health update', kind: 'topup', format: 'lecture', hours: 3, days: 1 },
      { code: 'KW-TOPUP-PATHWAYS', title: 'Pathways', kind: 'topup', format: 'e_learning', hours: 2, days: 1 },
    ],
    regional: true,
    showcase: true,
  }
}

function statuses(i: TrainingInput, plan: TrainingPlan, TODAY = i.today) {
  const start = new Map(i.officers.map(o => [o.staffId, o.startedInPost]))
  for (const s of plan.starts) start.set(s.staffId, s.startedInPost)
  const facts = new Map<number, CompletionFact[]>()
  for (const c of plan.completions) {
    const list = facts.get(c.staffId) ?? []
    list.push({
      moduleCode: c.moduleCode,
      kind: c.kind,
      completedOn: c.completedOn,
      hours: c.hours,
      outcome: c.outcome,
    })
    facts.set(c.staffId, list)
  }
  const minutes = new Map<number, { writtenOn: string; minutes: number }[]>()
  for (const j of plan.journal) minutes.set(j.staffId, [...(minutes.get(j.staffId) ?? []), j])
  return new Map(
    i.officers
      .filter(o => o.keyWorker)
      .map(o => [
        o.staffId,
        trainingStatus(
          DEFAULT_TRAINING_RULES,
          start.get(o.staffId)!,
          facts.get(o.staffId) ?? [],
          TODAY,
          minutes.get(o.staffId) ?? [],
        ),
      ]),
  )
}

const count = <T>(items: Iterable<T>, pred: (x: T) => boolean) => [...items].filter(pred).length

describe('demo training generator', () => {
  const i = input()
  const plan = generateTraining(i)
  const all = statuses(i, plan)

  it('is the same plan for the same seed, and another for another seed', () => {
    assert.deepEqual(generateTraining(input()), plan)
    assert.notDeepEqual(generateTraining(input(4)).certificates, plan.certificates)
  })

  it('has Key Workers at every stage of the initial course and the top-ups, CPD met and not', () => {
    const s = [...all.values()]
    for (const state of ['not_yet_due', 'in_window', 'overdue', 'done'] as const)
      assert.ok(count(s, x => x.initial.state === state) >= 1, `no officer ${state}`)
    for (const state of ['current', 'expiring', 'expired'] as const)
      assert.ok(count(s, x => x.topup.state === state) >= 1, `no top-up ${state}`)
    assert.ok(count(s, x => x.cpd.met) >= 1 && count(s, x => x.trained && !x.cpd.met) >= 1)
    assert.equal(
      count(s, x => x.initial.state === 'no_start_date'),
      0,
    )
    // most are trained, a few are overdue
    assert.ok(count(s, x => x.trained) > s.length / 2)
  })

  it('gives the demo Key Worker a record worth showing: trained, a top-up expiring, a certificate reissued, a journal', () => {
    const me = all.get(100)!
    assert.equal(me.trained, true)
    assert.equal(me.topup.state, 'expiring')
    const mine = plan.certificates.filter(c => c.staffId === 100)
    assert.ok(mine.length >= 3)
    const superseded = mine.find(c => c.supersededBy !== null)
    assert.ok(superseded, 'a certificate replaced after the module was taken again')
    const next = plan.certificates[superseded.supersededBy!]!
    assert.equal(next.staffId, 100)
    assert.equal(next.moduleTitle, superseded.moduleTitle)
    assert.ok(next.completedOn > superseded.completedOn)
    const journal = plan.journal.filter(j => j.staffId === 100)
    assert.ok(journal.length >= 4)
    assert.ok(journal.some(j => j.shared) && journal.some(j => !j.shared))
    assert.ok(journal.some(j => j.form === 'gibbs') && journal.some(j => j.form === 'short'))
    assert.ok(journal.every(j => j.userId === 9 && j.minutes > 0))
    // booked on the coming top-up, before theirs falls due
    const topup = plan.courses.find(c => c.status === 'scheduled' && c.moduleCode === 'KW-TOPUP-ENTRIES')!
    assert.ok(topup.enrolments.some(e => e.staffId === 100 && e.status === 'enrolled'))
    assert.ok(topup.days[0]!.day > TODAY && topup.days[0]!.day < me.topup.dueOn!)
  })

  it('never puts more officers on a course than it has places; one is full with a waiting list, one is regional', () => {
    for (const c of plan.courses) {
      const holding = c.enrolments.filter(e => ['enrolled', 'completed', 'not_completed'].includes(e.status))
      assert.ok(holding.length <= c.capacity, `${c.moduleCode} ${c.days[0]!.day}: ${holding.length} > ${c.capacity}`)
      assert.equal(new Set(c.enrolments.map(e => e.staffId)).size, c.enrolments.length)
      const enrolled = new Set(c.enrolments.map(e => e.staffId))
      assert.ok(c.attendance.every(a => enrolled.has(a.staffId) && c.days.some(d => d.day === a.day)))
    }
    const scheduled = plan.courses.filter(c => c.status === 'scheduled')
    const full = scheduled.find(
      c =>
        c.enrolments.filter(e => e.status === 'enrolled').length === c.capacity &&
        c.enrolments.some(e => e.status === 'waiting'),
    )
    assert.ok(full, 'a full course with a waiting list')
    assert.ok(full.enrolments.filter(e => e.status === 'waiting').every(e => e.waitingSince !== null))
    assert.equal(
      count(plan.courses, c => c.region !== null),
      1,
    )
    assert.equal(plan.courses.find(c => c.region !== null)!.region, 'Yorkshire')
    assert.ok(count(scheduled, c => c.days[0]!.day > TODAY) >= 3)
    assert.equal(
      count(plan.courses, c => c.status === 'cancelled'),
      1,
    )
    // completed courses are in the past, with a register and feedback from those who attended
    const done = plan.courses.filter(c => c.status === 'completed')
    assert.ok(done.length > 10)
    assert.ok(done.every(c => c.days.at(-1)!.day < TODAY && c.completedAt! <= `${TODAY}T23:59`))
    assert.ok(done.every(c => c.attendance.length >= c.enrolments.length))
    assert.ok(
      done.some(c => c.enrolments.some(e => e.status === 'not_completed')),
      'an overdue officer who did not finish',
    )
    const feedback = done.flatMap(c => c.feedback.map(f => ({ c, f })))
    assert.ok(feedback.length > 10)
    for (const { c, f } of feedback) {
      assert.ok(f.rating >= 1 && f.rating <= 5)
      assert.ok(c.attendance.some(a => a.staffId === f.staffId && a.present))
    }
  })

  it('records completions from courses, CSV and xAPI, each course completion on its course', () => {
    for (const c of plan.completions) {
      if (c.source !== 'course') continue
      const course = plan.courses[c.course!]!
      assert.equal(course.moduleCode, c.moduleCode)
      assert.equal(course.days.at(-1)!.day, c.completedOn)
      assert.ok(course.enrolments.some(e => e.staffId === c.staffId && e.status === 'completed'))
    }
    assert.ok(count(plan.completions, c => c.source === 'csv') >= 3)
    assert.ok(count(plan.completions, c => c.source === 'xapi') >= 3)
    assert.ok(count(plan.completions, c => c.source === 'manual' && c.kind === 'local') >= 10)
    const external = plan.completions.filter(c => c.externalId !== null)
    assert.equal(new Set(external.map(c => `${c.source}:${c.externalId}`)).size, external.length)
    assert.ok(plan.completions.every(c => c.completedOn <= TODAY))
  })

  it('issues a certificate with a code for every completion not failed, reissued when a module is taken again', () => {
    const pattern = new RegExp(`^[${DEMO_CODE_ALPHABET}]{4}-[${DEMO_CODE_ALPHABET}]{4}-[${DEMO_CODE_ALPHABET}]{4}$`)
    assert.ok(plan.certificates.every(c => pattern.test(c.code)))
    assert.equal(new Set(plan.certificates.map(c => c.code)).size, plan.certificates.length)
    const certified = new Set(plan.certificates.map(c => c.completion))
    plan.completions.forEach((c, k) => assert.equal(certified.has(k), c.outcome !== 'failed'))
    for (const c of plan.certificates.filter(x => x.supersededBy !== null)) {
      const next = plan.certificates[c.supersededBy!]!
      const [a, b] = [plan.completions[c.completion]!, plan.completions[next.completion]!]
      assert.deepEqual([b.staffId, b.moduleCode], [a.staffId, a.moduleCode])
      assert.ok(b.completedOn > a.completedOn)
      assert.equal(next.supersededBy, null, 'the earlier ones point at the current one')
    }
  })

  it('trains at least ten reviewed officers in the middle of the quality year, with reviews before and after', () => {
    assert.ok(plan.midYear.length >= 10)
    for (const id of plan.midYear) {
      const on = all.get(id)!.initial.completedOn!
      assert.ok(on >= addDays(TODAY, -250) && on <= addDays(TODAY, -100), `${id} trained ${on}`)
      const reviews = i.reviews.filter(r => r.staffId === id)
      assert.ok(count(reviews, r => r.date < on) >= 2 && count(reviews, r => r.date > on) >= 2)
    }
  })

  it('runs no course in the Christmas and New Year holidays, whenever the demo is loaded', () => {
    for (const today of [TODAY, '2026-12-06', '2027-01-02', '2026-12-20']) {
      const p = generateTraining(input(5, today))
      const days = p.courses.filter(c => c.status !== 'cancelled').flatMap(c => c.days.map(d => d.day))
      assert.ok(days.length > 20)
      const inHolidays = days.filter(d => d.slice(5) >= '12-22' || d.slice(5) <= '01-02')
      assert.deepEqual(inHolidays, [], today)
      // and the demo Key Worker's record still shows a top-up expiring and a certificate reissued
      const me = statuses(input(5, today), p).get(100)!
      assert.equal(me.topup.state, 'expiring', today)
      assert.ok(
        p.certificates.some(c => c.staffId === 100 && c.moduleTitle === 'MI refresher' && c.supersededBy !== null),
      )
    }
  })

  it('assigns a top-up from a low-scoring QA review', () => {
    assert.ok(plan.assignments.length >= 1)
    for (const a of plan.assignments) {
      const review = i.reviews.find(r => r.id === a.reviewId)!
      assert.equal(review.staffId, a.staffId)
      assert.ok(review.overall <= 2)
      assert.equal(a.moduleCode, 'KW-TOPUP-ENTRIES')
      assert.ok(a.dueOn > review.submittedAt.slice(0, 10))
    }
  })
})
