// The training rules: hand-worked cases, then properties against a naive reference written differently (it walks
// the calendar one day at a time instead of doing month arithmetic).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { londonDayStart, todayIso } from './dates'
import {
  type CompletionFact,
  type JournalFact,
  type TrainingRules,
  DEFAULT_TRAINING_RULES,
  EXPIRING_DAYS,
  INITIAL_STATE_NAMES,
  MODULE_KIND_NAMES,
  MODULE_KINDS,
  MODULE_FORMATS,
  MODULE_FORMAT_NAMES,
  CONTRIBUTOR_ROLES,
  CONTRIBUTOR_ROLE_NAMES,
  OUTCOMES,
  OUTCOME_NAMES,
  UNTRAINED_ALLOCATIONS,
  UNTRAINED_ALLOCATION_NAMES,
  TRAINING_LIMITS,
  TOPUP_STATE_NAMES,
  NO_LOCAL_SETTINGS,
  addMonthsIso,
  allocationCheck,
  effectiveRules,
  policyProblems,
  settingsProblems,
  trainingStatus,
} from './training'

const RULES: TrainingRules = DEFAULT_TRAINING_RULES

function done(completedOn: string, kind: CompletionFact['kind'] = 'initial', hours = 30): CompletionFact {
  return { moduleCode: kind === 'initial' ? 'KW-INITIAL' : 'KW-TOPUP-MI', kind, completedOn, hours, outcome: 'passed' }
}

// ---- the naive reference: one day at a time, through JavaScript's own calendar ----
function nextDay(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
function previousDay(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}
const monthOf = (iso: string) => iso.slice(0, 7)
const dayOf = (iso: string) => Number(iso.slice(8, 10))

/** Walks forward (or back) month boundaries one day at a time, then to the same day or the month's last. */
function naiveAddMonths(iso: string, months: number): string {
  const want = dayOf(iso)
  let d = iso
  if (months >= 0) {
    let crossed = 0
    while (crossed < months) {
      const n = nextDay(d)
      if (monthOf(n) !== monthOf(d)) crossed++
      d = n
    }
    // d is now the 1st of the target month (or iso itself when months = 0)
    while (dayOf(d) < want && monthOf(nextDay(d)) === monthOf(d)) d = nextDay(d)
    return d
  }
  let crossed = 0
  while (crossed < -months) {
    const p = previousDay(d)
    if (monthOf(p) !== monthOf(d)) crossed++
    d = p
  }
  // d is now the last day of the target month
  while (dayOf(d) > want) d = previousDay(d)
  return d
}

function daysApart(from: string, to: string): number {
  let n = 0
  let d = from
  while (d < to) {
    d = nextDay(d)
    n++
  }
  return n
}

const isoDay = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true })
  .map(d => d.toISOString().slice(0, 10))

describe('training rules: adding months', () => {
  it('clamps to the end of a shorter month, leap years included', () => {
    assert.equal(addMonthsIso('2026-01-31', 1), '2026-02-28')
    assert.equal(addMonthsIso('2024-01-31', 1), '2024-02-29')
    assert.equal(addMonthsIso('2026-08-31', 1), '2026-09-30')
    assert.equal(addMonthsIso('2026-03-31', -1), '2026-02-28')
    assert.equal(addMonthsIso('2024-02-29', 12), '2025-02-28')
    assert.equal(addMonthsIso('2024-02-29', 48), '2028-02-29')
    assert.equal(addMonthsIso('2026-11-15', 3), '2027-02-15')
    assert.equal(addMonthsIso('2026-06-15', 0), '2026-06-15')
  })

  it('agrees with walking the calendar one day at a time', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: -30, max: 30 }), (d, n) => addMonthsIso(d, n) === naiveAddMonths(d, n)),
      { numRuns: 400 },
    )
  })

  it('agrees on the last days of every month of a leap and a common year', () => {
    for (const year of [2024, 2026]) {
      for (let m = 1; m <= 12; m++) {
        for (const day of [28, 29, 30, 31]) {
          const d = `${year}-${String(m).padStart(2, '0')}-${day}`
          if (new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) continue
          for (const n of [1, 2, 6, 12, 13, -1, -12])
            assert.equal(addMonthsIso(d, n), naiveAddMonths(d, n), `${d} + ${n}`)
        }
      }
    }
  })

  it('gives the same calendar answer for an instant at London midnight around the clock changes', () => {
    for (const change of ['2026-03-29', '2026-10-25']) {
      const days = [
        previousDay(previousDay(change)),
        previousDay(change),
        change,
        nextDay(change),
        nextDay(nextDay(change)),
      ]
      for (const d of days) {
        const midnight = new Date(londonDayStart(d))
        const lastMinute = new Date(Date.parse(londonDayStart(nextDay(d))) - 60_000)
        assert.equal(todayIso(midnight), d)
        assert.equal(todayIso(lastMinute), d)
        for (const n of [1, 3, 9, 12]) {
          assert.equal(addMonthsIso(todayIso(midnight), n), addMonthsIso(d, n))
          assert.equal(addMonthsIso(todayIso(lastMinute), n), naiveAddMonths(d, n))
        }
        const started = addMonthsIso(d, -3)
        assert.deepEqual(trainingStatus(RULES, started, [], todayIso(midnight)), trainingStatus(RULES, started, [], d))
        assert.equal(trainingStatus(RULES, started, [], todayIso(lastMinute)).initial.state, 'in_window')
      }
    }
  })
})

describe('training rules: the initial course window', () => {
  const start = '2026-01-31'

  it('opens 3 months after the start and closes 9 months after it, both days included', () => {
    const before = trainingStatus(RULES, start, [], '2026-04-29')
    assert.equal(before.initial.windowOpens, '2026-04-30')
    assert.equal(before.initial.windowCloses, '2026-10-31')
    assert.equal(before.initial.state, 'not_yet_due')
    assert.equal(trainingStatus(RULES, start, [], '2026-04-30').initial.state, 'in_window')
    assert.equal(trainingStatus(RULES, start, [], '2026-10-31').initial.state, 'in_window')
    assert.equal(trainingStatus(RULES, start, [], '2026-11-01').initial.state, 'overdue')
  })

  it('clamps the window to the end of February', () => {
    const s = trainingStatus({ ...RULES, windowFromMonths: 1, windowToMonths: 13 }, '2023-01-31', [], '2024-01-01')
    assert.equal(s.initial.windowOpens, '2023-02-28')
    assert.equal(s.initial.windowCloses, '2024-02-29')
  })

  it('has no window without a start date, unless the course is done', () => {
    const s = trainingStatus(RULES, null, [], '2026-06-01')
    assert.deepEqual(s.initial, { state: 'no_start_date', windowOpens: null, windowCloses: null, completedOn: null })
    assert.equal(s.trained, false)
    const d = trainingStatus(RULES, null, [done('2026-05-01')], '2026-06-01')
    assert.equal(d.initial.state, 'done')
    assert.equal(d.trained, true)
  })

  it('is done on the first passed initial course, whatever the window says', () => {
    const s = trainingStatus(RULES, start, [done('2026-12-01'), done('2026-11-15')], '2027-01-01')
    assert.equal(s.initial.state, 'done')
    assert.equal(s.initial.completedOn, '2026-11-15')
    assert.equal(s.trained, true)
  })

  it('never counts a failed outcome', () => {
    const failed: CompletionFact = { ...done('2026-05-01'), outcome: 'failed' }
    const s = trainingStatus(RULES, start, [failed], '2026-06-01')
    assert.equal(s.initial.state, 'in_window')
    assert.equal(s.trained, false)
    assert.equal(s.cpd.hours, 0)
    assert.equal(s.topup.state, 'not_applicable')
    const completed: CompletionFact = { ...done('2026-05-01'), outcome: 'completed' }
    assert.equal(trainingStatus(RULES, start, [failed, completed], '2026-06-01').trained, true)
  })

  it('does not count a top-up or local module as the initial course', () => {
    const s = trainingStatus(
      RULES,
      start,
      [done('2026-05-01', 'topup', 3), done('2026-05-02', 'local', 2)],
      '2026-06-01',
    )
    assert.equal(s.trained, false)
    assert.equal(s.topup.state, 'not_applicable')
    assert.equal(s.topup.lastOn, '2026-05-01')
  })
})

describe('training rules: top-ups', () => {
  it('falls due 12 months after the initial course and is expiring from exactly 30 days before', () => {
    const c = [done('2026-03-15')]
    const at = (today: string) => trainingStatus(RULES, '2025-12-01', c, today).topup
    assert.deepEqual(at('2027-02-12'), { state: 'current', lastOn: null, dueOn: '2027-03-15' })
    assert.equal(at('2027-02-13').state, 'expiring') // 30 days before 15 March 2027
    assert.equal(at('2027-03-15').state, 'expiring')
    assert.equal(at('2027-03-16').state, 'expired')
    assert.equal(EXPIRING_DAYS, 30)
  })

  it('counts from the latest top-up, not failed ones', () => {
    const c = [
      done('2026-03-15'),
      done('2027-01-31', 'topup', 3),
      { ...done('2027-06-01', 'topup', 3), outcome: 'failed' as const },
    ]
    const s = trainingStatus(RULES, '2025-12-01', c, '2027-07-01')
    assert.equal(s.topup.lastOn, '2027-01-31')
    assert.equal(s.topup.dueOn, '2028-01-31')
    assert.equal(s.topup.state, 'current')
    assert.equal(trainingStatus({ ...RULES, topupMonths: 1 }, '2025-12-01', c, '2027-02-01').topup.dueOn, '2027-02-28')
  })
})

describe('training rules: CPD hours', () => {
  it('adds completions and journal minutes in the 12 months to today, both ends included', () => {
    const c = [
      done('2025-06-02', 'topup', 3), // the first day of the year to 1 June 2026
      done('2025-06-01', 'topup', 100), // the day before: not counted
      done('2026-06-01', 'local', 2), // today
      done('2026-06-02', 'cpd', 50), // tomorrow: not counted
    ]
    const j: JournalFact[] = [
      { writtenOn: '2026-01-01', minutes: 20 },
      { writtenOn: '2026-02-01', minutes: 20 },
      { writtenOn: '2026-03-01', minutes: 20 },
      { writtenOn: '2025-05-01', minutes: 600 },
    ]
    const s = trainingStatus(RULES, '2025-01-01', c, '2026-06-01', j)
    assert.deepEqual(s.cpd, { hours: 6, target: 6, from: '2025-06-02', to: '2026-06-01', met: true })
    const less = trainingStatus(RULES, '2025-01-01', c.slice(1), '2026-06-01', j)
    assert.deepEqual(less.cpd, { hours: 3, target: 6, from: '2025-06-02', to: '2026-06-01', met: false })
  })

  it('starts the year on 1 March after a 29 February', () => {
    assert.equal(trainingStatus(RULES, null, [], '2025-02-28').cpd.from, '2024-02-29')
    assert.equal(trainingStatus(RULES, null, [], '2024-02-29').cpd.from, '2023-03-01')
    assert.equal(trainingStatus(RULES, null, [], '2025-03-01').cpd.from, '2024-03-02')
  })
})

describe('training rules: allocating to an untrained officer', () => {
  it('is ok when trained or allowed, else the rule', () => {
    assert.equal(allocationCheck('refuse', true), 'ok')
    assert.equal(allocationCheck('warn', true), 'ok')
    assert.equal(allocationCheck('allow', false), 'ok')
    assert.equal(allocationCheck('warn', false), 'warn')
    assert.equal(allocationCheck('refuse', false), 'refuse')
  })

  it('has human names for every state and kind', () => {
    assert.equal(INITIAL_STATE_NAMES.in_window, 'Due now')
    assert.equal(TOPUP_STATE_NAMES.expiring, 'Expiring soon')
    assert.equal(MODULE_KIND_NAMES.topup, 'Top-up')
    assert.deepEqual(DEFAULT_TRAINING_RULES, {
      windowFromMonths: 3,
      windowToMonths: 9,
      topupMonths: 12,
      cpdHours: 6,
      untrainedAllocation: 'warn',
    })
  })
})

// ---- properties of the whole status against the day-by-day reference ----
const kinds = fc.constantFrom<CompletionFact['kind']>('initial', 'topup', 'local', 'cpd')
const outcomes = fc.constantFrom<CompletionFact['outcome']>('completed', 'passed', 'failed')
const completion = fc.record({
  moduleCode: fc.constant('M'),
  kind: kinds,
  completedOn: isoDay,
  hours: fc.integer({ min: 0, max: 40 }),
  outcome: outcomes,
})
const rules = fc.record({
  windowFromMonths: fc.integer({ min: 0, max: 12 }),
  windowToMonths: fc.integer({ min: 0, max: 24 }),
  topupMonths: fc.integer({ min: 1, max: 36 }),
  cpdHours: fc.integer({ min: 0, max: 40 }),
  untrainedAllocation: fc.constantFrom<TrainingRules['untrainedAllocation']>('allow', 'warn', 'refuse'),
})

describe('training rules: properties', () => {
  it('the initial state matches a reference that walks from the start date', () => {
    fc.assert(
      fc.property(
        rules,
        fc.option(isoDay, { nil: null }),
        fc.array(completion, { maxLength: 6 }),
        isoDay,
        (r, start, cs, today) => {
          const s = trainingStatus(r, start, cs, today)
          const passedInitial = cs.filter(c => c.kind === 'initial' && c.outcome !== 'failed')
          const trained = passedInitial.length > 0
          assert.equal(s.trained, trained)
          if (trained) {
            assert.equal(s.initial.state, 'done')
            assert.equal(s.initial.completedOn, passedInitial.map(c => c.completedOn).sort()[0])
          } else if (start === null) assert.equal(s.initial.state, 'no_start_date')
          else {
            const opens = naiveAddMonths(start, r.windowFromMonths)
            const closes = naiveAddMonths(start, r.windowToMonths)
            const expected =
              daysApart(today, opens) > 0 ? 'not_yet_due' : daysApart(closes, today) > 0 ? 'overdue' : 'in_window'
            assert.equal(s.initial.state, expected)
            assert.equal(s.initial.windowOpens, opens)
            assert.equal(s.initial.windowCloses, closes)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('the top-up state matches counting the days to the due date', () => {
    fc.assert(
      fc.property(rules, fc.array(completion, { maxLength: 6 }), isoDay, (r, cs, today) => {
        const s = trainingStatus(r, '2019-01-01', cs, today)
        const good = cs.filter(c => c.outcome !== 'failed')
        if (!good.some(c => c.kind === 'initial')) {
          assert.equal(s.topup.state, 'not_applicable')
          assert.equal(s.topup.dueOn, null)
          return
        }
        const basis = good
          .filter(c => c.kind === 'initial' || c.kind === 'topup')
          .map(c => c.completedOn)
          .sort()
          .at(-1)!
        const due = naiveAddMonths(basis, r.topupMonths)
        assert.equal(s.topup.dueOn, due)
        const left = today <= due ? daysApart(today, due) : -daysApart(due, today)
        assert.equal(s.topup.state, left > 30 ? 'current' : left >= 0 ? 'expiring' : 'expired')
      }),
      { numRuns: 300 },
    )
  })

  it('CPD hours match a sum over the year walked back from today', () => {
    const journal = fc.array(fc.record({ writtenOn: isoDay, minutes: fc.integer({ min: 0, max: 240 }) }), {
      maxLength: 6,
    })
    fc.assert(
      fc.property(rules, fc.array(completion, { maxLength: 6 }), journal, isoDay, (r, cs, js, today) => {
        const s = trainingStatus(r, null, cs, today, js)
        // the year to today: the days after the same day 12 months back, walked one day at a time
        const yearAgo = naiveAddMonths(today, -12)
        const inYear = (d: string) => d > yearAgo && d <= today
        const from = nextDay(yearAgo)
        assert.equal(s.cpd.from, from)
        assert.equal(s.cpd.to, today)
        let minutes = 0
        for (const c of cs) if (c.outcome !== 'failed' && inYear(c.completedOn)) minutes += c.hours * 60
        for (const j of js) if (inYear(j.writtenOn)) minutes += j.minutes
        assert.ok(Math.abs(s.cpd.hours - minutes / 60) < 0.006)
        assert.equal(s.cpd.met, s.cpd.hours >= r.cpdHours)
        assert.equal(s.cpd.target, r.cpdHours)
      }),
      { numRuns: 300 },
    )
  })

  it('allocation is refused or warned only for an untrained officer under that rule', () => {
    fc.assert(
      fc.property(rules, fc.array(completion, { maxLength: 4 }), isoDay, (r, cs, today) => {
        const s = trainingStatus(r, null, cs, today)
        const check = allocationCheck(r.untrainedAllocation, s.trained)
        assert.equal(check === 'ok', s.trained || r.untrainedAllocation === 'allow')
      }),
    )
  })
})

describe('training rules: national bounds and local settings', () => {
  const policy = {
    ...DEFAULT_TRAINING_RULES,
    windowToMax: 12,
    topupMonthsMin: 6,
    topupMonthsMax: 24,
    cpdHoursMin: 6,
    cpdHoursMax: 40,
    untrainedLocal: true,
  }

  it('uses the national default for each blank, and the establishment’s own value otherwise', () => {
    assert.deepEqual(effectiveRules(policy, NO_LOCAL_SETTINGS), DEFAULT_TRAINING_RULES)
    assert.deepEqual(
      effectiveRules(policy, {
        windowFromMonths: null,
        windowToMonths: 12,
        topupMonths: 18,
        cpdHours: 7.5,
        untrainedAllocation: 'refuse',
      }),
      { windowFromMonths: 3, windowToMonths: 12, topupMonths: 18, cpdHours: 7.5, untrainedAllocation: 'refuse' },
    )
  })

  it('brings an own value back within bounds that have moved, and ignores an own rule the nation no longer allows', () => {
    const own = {
      windowFromMonths: 8,
      windowToMonths: 12,
      topupMonths: 24,
      cpdHours: 4,
      untrainedAllocation: 'allow' as const,
    }
    const tighter = {
      ...policy,
      windowToMax: 6,
      topupMonthsMax: 15,
      untrainedLocal: false,
      untrainedAllocation: 'refuse' as const,
    }
    assert.deepEqual(effectiveRules(tighter, own), {
      windowFromMonths: 6, // never after the window closes
      windowToMonths: 6,
      topupMonths: 15,
      cpdHours: 6,
      untrainedAllocation: 'refuse',
    })
  })

  it('finds every problem with a national policy at once', () => {
    assert.deepEqual(policyProblems(policy), {})
    assert.deepEqual(
      policyProblems({
        ...policy,
        windowFromMonths: 10,
        windowToMonths: 9,
        topupMonths: 30,
        cpdHoursMin: 10,
        cpdHoursMax: 5,
        cpdHours: 7,
      }),
      {
        windowFromMonths: 'The window must open before it closes, or on the same month',
        topupMonths: 'The top-up interval must be from 6 to 24 months (the bounds)',
        cpdHoursMax: 'The largest CPD target must be at least the smallest',
      },
    )
    assert.deepEqual(policyProblems({ ...policy, windowToMonths: 13, cpdHours: 6.25, topupMonthsMin: 0 }), {
      windowToMonths: 'The window must close no later than the latest an establishment may close it',
      topupMonthsMin: 'The shortest top-up interval must be a whole number from 1 to 60',
      cpdHours: 'The CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
    })
  })

  it('finds every problem with an establishment’s settings against the bounds at once', () => {
    assert.deepEqual(settingsProblems(policy, NO_LOCAL_SETTINGS), {})
    assert.deepEqual(
      settingsProblems(policy, {
        windowFromMonths: null,
        windowToMonths: 13,
        topupMonths: 5,
        cpdHours: 41,
        untrainedAllocation: null,
      }),
      {
        windowToMonths: 'The months to the end of the window must be a whole number from 1 to 12 (the national bound)',
        topupMonths: 'The top-up interval must be a whole number of months from 6 to 24 (the national bounds)',
        cpdHours: 'The CPD target must be from 6 to 40 hours (the national bounds)',
      },
    )
    assert.deepEqual(settingsProblems(policy, { ...NO_LOCAL_SETTINGS, windowFromMonths: 10 }), {
      windowFromMonths:
        'The window must open before it closes, or on the same month (it opens at 10 and closes at 9 months)',
    })
    assert.deepEqual(
      settingsProblems({ ...policy, untrainedLocal: false }, { ...NO_LOCAL_SETTINGS, untrainedAllocation: 'allow' }),
      {
        untrainedAllocation:
          'The national team sets what happens when an untrained officer is allocated: leave it blank',
      },
    )
  })
})

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('training rules: the words shown for each code', () => {
  it('names every kind, format, contributor role, outcome and allocation rule, in the order the forms list them', () => {
    assert.deepEqual(MODULE_KINDS, ['initial', 'topup', 'local', 'cpd'])
    assert.deepEqual(MODULE_KIND_NAMES, {
      initial: 'Initial course',
      topup: 'Top-up',
      local: 'Local module',
      cpd: 'Continuing professional development',
    })
    assert.deepEqual(MODULE_FORMATS, [
      'workshop',
      'lecture',
      'practical',
      'observation',
      'peer_supervision',
      'e_learning',
    ])
    assert.deepEqual(MODULE_FORMAT_NAMES, {
      workshop: 'Workshop',
      lecture: 'Lecture',
      practical: 'Practical',
      observation: 'Observation',
      peer_supervision: 'Peer supervision',
      e_learning: 'E-learning',
    })
    assert.deepEqual(CONTRIBUTOR_ROLES, [
      'academic',
      'psychologist',
      'mental_health',
      'prison_officer',
      'prisoner_voice',
      'other',
    ])
    assert.deepEqual(CONTRIBUTOR_ROLE_NAMES, {
      academic: 'Academic',
      psychologist: 'Psychologist',
      mental_health: 'Mental health professional',
      prison_officer: 'Prison officer',
      prisoner_voice: 'Prisoner voice (lived experience)',
      other: 'Other',
    })
    assert.deepEqual(OUTCOMES, ['completed', 'passed', 'failed'])
    assert.deepEqual(OUTCOME_NAMES, { completed: 'Completed', passed: 'Passed', failed: 'Not passed' })
    assert.deepEqual(UNTRAINED_ALLOCATIONS, ['allow', 'warn', 'refuse'])
    assert.deepEqual(UNTRAINED_ALLOCATION_NAMES, {
      allow: 'Allow: untrained officers may hold a caseload',
      warn: 'Warn: allocate only after the user confirms',
      refuse: 'Refuse: untrained officers are never allocated prisoners',
    })
    assert.deepEqual(INITIAL_STATE_NAMES, {
      not_yet_due: 'Not yet due',
      in_window: 'Due now',
      overdue: 'Overdue',
      done: 'Done',
      no_start_date: 'No start date recorded',
    })
    assert.deepEqual(TOPUP_STATE_NAMES, {
      not_applicable: 'Not applicable until the initial course is done',
      current: 'Current',
      expiring: 'Expiring soon',
      expired: 'Expired',
    })
    assert.deepEqual(NO_LOCAL_SETTINGS, {
      windowFromMonths: null,
      windowToMonths: null,
      topupMonths: null,
      cpdHours: null,
      untrainedAllocation: null,
    })
    assert.deepEqual(TRAINING_LIMITS, { months: 60, cpdHours: 200 })
  })
})

describe('training rules: CPD hours rounded to hundredths', () => {
  it('0.1 + 0.2 hours is 0.3, and 10 journal minutes are 0.17 hours', () => {
    const c = [done('2026-05-01', 'cpd', 0.1), done('2026-05-02', 'cpd', 0.2)]
    assert.equal(trainingStatus(RULES, null, c, '2026-06-01').cpd.hours, 0.3)
    // 10 / 60 = 0.1666… → 0.17
    const j = [{ writtenOn: '2026-05-01', minutes: 10 }]
    assert.equal(trainingStatus(RULES, null, [], '2026-06-01', j).cpd.hours, 0.17)
  })

  it('dates the top-up from the latest of the initial course and the top-ups, an initial course after a top-up too', () => {
    // a top-up on 1 March 2026, the initial course passed on 1 May 2026: due 12 months after 1 May
    const s = trainingStatus(RULES, '2025-12-01', [done('2026-03-01', 'topup', 3), done('2026-05-01')], '2026-06-01')
    assert.deepEqual(s.topup, { state: 'current', lastOn: '2026-03-01', dueOn: '2027-05-01' })
  })
})

describe('training rules: national bounds at their edges', () => {
  const policy = {
    ...DEFAULT_TRAINING_RULES,
    windowToMax: 12,
    topupMonthsMin: 6,
    topupMonthsMax: 24,
    cpdHoursMin: 6,
    cpdHoursMax: 40,
    untrainedLocal: true,
  }

  it('effective rules: an own rule where the nation allows one, the national one when blank; bounds both ways', () => {
    assert.equal(
      effectiveRules(policy, { ...NO_LOCAL_SETTINGS, untrainedAllocation: 'allow' }).untrainedAllocation,
      'allow',
    )
    assert.equal(effectiveRules(policy, NO_LOCAL_SETTINGS).untrainedAllocation, 'warn')
    assert.equal(effectiveRules(policy).untrainedAllocation, 'warn')
    // 3 months is below the shortest top-up of 6; 50 hours above the largest target of 40
    assert.deepEqual(effectiveRules(policy, { ...NO_LOCAL_SETTINGS, topupMonths: 3, cpdHours: 50 }), {
      windowFromMonths: 3,
      windowToMonths: 9,
      topupMonths: 6,
      cpdHours: 40,
      untrainedAllocation: 'warn',
    })
    // a window closing at 2 months: it opens at 2 too (the national 3 would open after it closes)
    assert.deepEqual(effectiveRules(policy, { ...NO_LOCAL_SETTINGS, windowToMonths: 2 }).windowFromMonths, 2)
  })

  it('policy: whole months from 1 (0 for the window’s start) to 60, each bound itself allowed', () => {
    const edges = {
      ...policy,
      windowToMax: 60,
      windowToMonths: 60,
      windowFromMonths: 0,
      topupMonthsMin: 1,
      topupMonthsMax: 60,
      topupMonths: 60,
      cpdHoursMin: 0,
      cpdHoursMax: 200,
      cpdHours: 200,
    }
    assert.deepEqual(policyProblems(edges), {})
    assert.deepEqual(
      policyProblems({ ...edges, windowToMax: 1, windowToMonths: 1, windowFromMonths: 1, topupMonths: 1 }),
      {},
    )
    assert.deepEqual(policyProblems({ ...edges, cpdHours: 0 }), {})
    assert.deepEqual(policyProblems({ ...edges, topupMonthsMin: 60 }), {})
    assert.deepEqual(policyProblems({ ...edges, cpdHoursMin: 200 }), {})
    assert.deepEqual(
      policyProblems({
        ...edges,
        windowToMax: 61,
        windowToMonths: 0,
        windowFromMonths: -1,
        topupMonthsMin: 61,
        topupMonthsMax: 0,
        topupMonths: 2.5,
        cpdHoursMin: -0.5,
        cpdHoursMax: 200.1,
        cpdHours: Number.NaN,
        untrainedAllocation: 'maybe' as never,
      }),
      {
        windowToMax: 'The latest an establishment may close the window must be a whole number from 1 to 60',
        windowToMonths: 'The months to the end of the window must be a whole number from 1 to 60',
        windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
        topupMonthsMin: 'The shortest top-up interval must be a whole number from 1 to 60',
        topupMonthsMax: 'The longest top-up interval must be a whole number from 1 to 60',
        topupMonths: 'The top-up interval must be a whole number from 1 to 60',
        cpdHoursMin: 'The smallest CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
        cpdHoursMax: 'The largest CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
        cpdHours: 'The CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
        untrainedAllocation: 'Select what happens when an untrained officer is allocated prisoners',
      },
    )
    assert.deepEqual(policyProblems({ ...edges, windowToMax: 0, windowToMonths: 1.5, windowFromMonths: 61 }), {
      windowToMax: 'The latest an establishment may close the window must be a whole number from 1 to 60',
      windowToMonths: 'The months to the end of the window must be a whole number from 1 to 60',
      windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
    })
  })

  it('policy: compares the window, the top-up and the CPD bounds only when each side is itself valid', () => {
    // the latest close is invalid: the window's own 9 months is not also compared with it
    assert.deepEqual(policyProblems({ ...policy, windowToMax: 0 }), {
      windowToMax: 'The latest an establishment may close the window must be a whole number from 1 to 60',
    })
    // the end of the window is invalid: it is not compared with the start either
    assert.deepEqual(policyProblems({ ...policy, windowToMax: 60, windowToMonths: 61 }), {
      windowToMonths: 'The months to the end of the window must be a whole number from 1 to 60',
    })
    // the start is invalid (not whole): not compared with the end
    assert.deepEqual(policyProblems({ ...policy, windowFromMonths: 9.5 }), {
      windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
    })
    // equal values are allowed: the window opens and closes in the same month, the latest close is the close
    assert.deepEqual(policyProblems({ ...policy, windowFromMonths: 12, windowToMonths: 12 }), {})
    // the top-up interval out of bounds that are themselves invalid: only the invalid bound is named
    assert.deepEqual(policyProblems({ ...policy, topupMonthsMin: 0, topupMonths: 30 }), {
      topupMonthsMin: 'The shortest top-up interval must be a whole number from 1 to 60',
    })
    assert.deepEqual(policyProblems({ ...policy, topupMonthsMax: 61, topupMonths: 3 }), {
      topupMonthsMax: 'The longest top-up interval must be a whole number from 1 to 60',
    })
    assert.deepEqual(policyProblems({ ...policy, topupMonthsMin: 30, topupMonthsMax: 20 }), {
      topupMonthsMax: 'The longest top-up interval must be at least the shortest',
    })
    assert.deepEqual(policyProblems({ ...policy, topupMonths: 5 }), {
      topupMonths: 'The top-up interval must be from 6 to 24 months (the bounds)',
    })
    assert.deepEqual(policyProblems({ ...policy, topupMonths: 6 }), {})
    assert.deepEqual(policyProblems({ ...policy, topupMonths: 24 }), {})
    assert.deepEqual(policyProblems({ ...policy, topupMonths: 25 }), {
      topupMonths: 'The top-up interval must be from 6 to 24 months (the bounds)',
    })
    // the CPD target against its bounds: both ends allowed, one outside named
    assert.deepEqual(policyProblems({ ...policy, cpdHours: 40 }), {})
    assert.deepEqual(policyProblems({ ...policy, cpdHours: 5.5 }), {
      cpdHours: 'The CPD target must be from 6 to 40 hours (the bounds)',
    })
    assert.deepEqual(policyProblems({ ...policy, cpdHours: 40.5 }), {
      cpdHours: 'The CPD target must be from 6 to 40 hours (the bounds)',
    })
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMin: 7.5, cpdHours: 7.5 }), {})
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMin: -1, cpdHours: 1 }), {
      cpdHoursMin: 'The smallest CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
    })
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMax: 201, cpdHours: 100 }), {
      cpdHoursMax: 'The largest CPD target must be a number of hours from 0 to 200, like 6 or 7.5',
    })
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMax: 6, cpdHours: 6 }), {})
  })

  it('settings: each own value within the national bounds, each bound itself allowed', () => {
    const own = (s: Partial<typeof NO_LOCAL_SETTINGS>) => settingsProblems(policy, { ...NO_LOCAL_SETTINGS, ...s })
    assert.deepEqual(own({ windowFromMonths: 0, windowToMonths: 1, topupMonths: 6, cpdHours: 6 }), {})
    assert.deepEqual(own({ windowFromMonths: 12, windowToMonths: 12, topupMonths: 24, cpdHours: 40 }), {})
    assert.deepEqual(own({ cpdHours: 7.5, untrainedAllocation: 'allow' }), {})
    assert.deepEqual(
      own({
        windowFromMonths: -1,
        windowToMonths: 0,
        topupMonths: 25,
        cpdHours: 5.9,
        untrainedAllocation: 'x' as never,
      }),
      {
        windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
        windowToMonths: 'The months to the end of the window must be a whole number from 1 to 12 (the national bound)',
        topupMonths: 'The top-up interval must be a whole number of months from 6 to 24 (the national bounds)',
        cpdHours: 'The CPD target must be from 6 to 40 hours (the national bounds)',
        untrainedAllocation: 'Select what happens when an untrained officer is allocated prisoners',
      },
    )
    assert.deepEqual(own({ windowFromMonths: 61, windowToMonths: 2.5, topupMonths: 6.5, cpdHours: 7.25 }), {
      windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
      windowToMonths: 'The months to the end of the window must be a whole number from 1 to 12 (the national bound)',
      topupMonths: 'The top-up interval must be a whole number of months from 6 to 24 (the national bounds)',
      cpdHours: 'The CPD target must be from 6 to 40 hours (the national bounds)',
    })
    assert.deepEqual(own({ windowFromMonths: 1.5 }), {
      windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
    })
    assert.deepEqual(own({ topupMonths: 5, cpdHours: 40.1 }), {
      topupMonths: 'The top-up interval must be a whole number of months from 6 to 24 (the national bounds)',
      cpdHours: 'The CPD target must be from 6 to 40 hours (the national bounds)',
    })
  })

  it('settings: a window closing before the national opening is named on the close; invalid values are not compared', () => {
    // only the close set, at 2 months: the national start of 3 months is after it
    assert.deepEqual(settingsProblems(policy, { ...NO_LOCAL_SETTINGS, windowToMonths: 2 }), {
      windowToMonths:
        'The window must open before it closes, or on the same month (it opens at 3 and closes at 2 months)',
    })
    // the start at 20 is valid on its own (up to 60) but after the national close of 9; with a close of 13 (invalid
    // here: over the bound of 12) the comparison is not made
    assert.deepEqual(settingsProblems(policy, { ...NO_LOCAL_SETTINGS, windowFromMonths: 20, windowToMonths: 13 }), {
      windowToMonths: 'The months to the end of the window must be a whole number from 1 to 12 (the national bound)',
    })
    assert.deepEqual(settingsProblems(policy, { ...NO_LOCAL_SETTINGS, windowFromMonths: 61, windowToMonths: 5 }), {
      windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60',
    })
    assert.deepEqual(settingsProblems(policy, { ...NO_LOCAL_SETTINGS, windowFromMonths: 9 }), {})
  })
})
