import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  MODULE_CODE_EXTENSION,
  VERB_OF,
  XAPI_VERBS,
  durationHours,
  hoursDuration,
  moduleCodeOf,
  parseStatement,
  statementOf,
  statementsOf,
} from './xapi'

const TODAY = '2026-03-20'
const good = {
  id: '6F1D7C52-0D7E-4B8A-9C1E-2F6A7B3C4D5E',
  actor: { mbox: 'mailto:Ann.Tester@Example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://lms.example.org/activities/kw-topup-mi/' },
  result: { duration: 'PT2H15M', success: true },
  timestamp: '2026-03-19T23:30:00Z',
}

describe('ISO 8601 durations in hours', () => {
  it('reads hours, minutes, seconds, days and weeks', () => {
    assert.equal(durationHours('PT1H30M'), 1.5)
    assert.equal(durationHours('PT90M'), 1.5)
    assert.equal(durationHours('PT5400S'), 1.5)
    assert.equal(durationHours('P1DT2H'), 26)
    assert.equal(durationHours('P1W'), 168)
    assert.equal(durationHours('PT0.5H'), 0.5)
  })
  it('refuses what is not one, and years or months (no fixed length)', () => {
    for (const d of ['', 'P', 'PT', '1H', 'PT1H30', 'P1Y', 'P1M', 'PTH', 'pt1h'])
      assert.equal(durationHours(d), null, d)
  })
  it('writes hours back', () => {
    assert.equal(hoursDuration(1.5), 'PT1H30M')
    assert.equal(hoursDuration(30), 'PT30H')
    assert.equal(hoursDuration(0.25), 'PT15M')
  })
})

describe('the module an activity names', () => {
  it('is the last segment of its id, upper case, or its extension', () => {
    assert.equal(moduleCodeOf('https://lms.example.org/a/KW-INITIAL'), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms.example.org/a/kw-initial/?attempt=2#top'), 'KW-INITIAL')
    assert.equal(
      moduleCodeOf('urn:x:1', { 'https://keywork.example/xapi/extensions/module-code': 'local-mdi-1' }),
      'LOCAL-MDI-1',
    )
    assert.equal(moduleCodeOf('https://lms.example.org/a/has%20space'), null)
  })
})

describe('reading a statement', () => {
  it('reads a good one: the actor’s email, the outcome, the code, the hours and the London day', () => {
    const r = parseStatement(good, TODAY)
    assert.deepEqual(r, {
      ok: true,
      value: {
        id: '6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e',
        actor: { email: 'ann.tester@example.org', account: null },
        outcome: 'completed',
        activityId: 'https://lms.example.org/activities/kw-topup-mi/',
        moduleCode: 'KW-TOPUP-MI',
        hours: 2.25,
        completedOn: '2026-03-19',
      },
    })
  })

  it('takes the day in London: 23:30 UTC in summer is the next day', () => {
    const r = parseStatement({ ...good, timestamp: '2025-07-01T23:30:00Z' }, TODAY)
    assert.equal(r.ok && r.value.completedOn, '2025-07-02')
  })

  it('reads an account name as the staff number', () => {
    const r = parseStatement({ ...good, actor: { account: { homePage: 'https://lms', name: 'mdi0201' } } }, TODAY)
    assert.deepEqual(r.ok && r.value.actor, { email: null, account: 'MDI0201' })
  })

  it('lists every problem at once, naming the field', () => {
    const r = parseStatement(
      {
        id: 'nope',
        verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' },
        object: { id: 'https://lms.example.org/' },
        result: { duration: 'P1M' },
        timestamp: '2026-03-21T10:00:00Z',
      },
      TODAY,
    )
    assert.deepEqual(r.ok ? [] : r.errors, [
      'id "nope" is not a UUID',
      'actor is missing: it must name the officer by mbox or account',
      'verb "http://adlnet.gov/expapi/verbs/attempted" is not one keywork records: use ' +
        'http://adlnet.gov/expapi/verbs/completed, passed or failed',
      'object.id "https://lms.example.org/" does not end in a module code, like …/KW-TOPUP-MI',
      'result.duration "P1M" must be an ISO 8601 duration in hours, like PT2H30M',
      'timestamp is in the future',
    ])
  })

  it('refuses a success that contradicts the verb, and an actor without mbox or account', () => {
    const passed = parseStatement(
      { ...good, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: false } },
      TODAY,
    )
    assert.deepEqual(passed.ok ? [] : passed.errors, ['result.success is false but the verb is passed'])
    const nobody = parseStatement({ ...good, actor: { name: 'Ann' } }, TODAY)
    assert.equal(nobody.ok, false)
    const noTime = parseStatement({ ...good, timestamp: undefined, id: undefined }, TODAY)
    assert.deepEqual(noTime.ok ? [] : noTime.errors, [
      'id is missing: keywork needs the statement id to record each statement once',
      'timestamp is missing: keywork needs the day the module was finished',
    ])
  })

  it('takes one statement or an array of them', () => {
    assert.deepEqual(statementsOf(good), [good])
    assert.deepEqual(statementsOf([good, good])?.length, 2)
    assert.equal(statementsOf([]), null)
    assert.equal(statementsOf('x'), null)
  })

  it('writes a completion out as a statement that reads back the same', () => {
    const out = statementOf({
      id: '0b7c0b0e-1111-4222-8333-444455556666',
      actor: { name: 'Ann Tester', email: 'ann.tester@example.org', staffNumber: 'MDI0201', homePage: 'https://kw' },
      activityId: 'https://kw/training/modules/KW-TOPUP-MI',
      title: 'Motivational interviewing refresher',
      outcome: 'passed',
      hours: 3,
      completedOn: '2026-03-02',
      stored: '2026-03-03T09:00:00.000Z',
    })
    const back = parseStatement(out, TODAY)
    assert.deepEqual(back.ok && [back.value.moduleCode, back.value.outcome, back.value.hours, back.value.completedOn], [
      'KW-TOPUP-MI',
      'passed',
      3,
      '2026-03-02',
    ])
  })
})

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('xAPI: the fixed names', () => {
  it('maps the three verbs both ways, and names the module-code extension', () => {
    assert.deepEqual(XAPI_VERBS, {
      'http://adlnet.gov/expapi/verbs/completed': 'completed',
      'http://adlnet.gov/expapi/verbs/passed': 'passed',
      'http://adlnet.gov/expapi/verbs/failed': 'failed',
    })
    assert.deepEqual(VERB_OF, {
      completed: 'http://adlnet.gov/expapi/verbs/completed',
      passed: 'http://adlnet.gov/expapi/verbs/passed',
      failed: 'http://adlnet.gov/expapi/verbs/failed',
    })
    assert.equal(MODULE_CODE_EXTENSION, 'https://keywork.example/xapi/extensions/module-code')
  })
})

describe('xAPI: durations at the edges', () => {
  it('reads fractions, weeks with days, seconds and minutes in the time part, with spaces around', () => {
    assert.equal(durationHours('PT1.5H'), 1.5)
    assert.equal(durationHours('P2W'), 336) // 2 × 168
    assert.equal(durationHours('P1W2D'), 216) // 168 + 48
    assert.equal(durationHours('P1.5D'), 36)
    assert.equal(durationHours('PT36S'), 0.01) // 36 / 3600
    assert.equal(durationHours('PT3M'), 0.05) // 3 / 60: minutes after T, not months
    assert.equal(durationHours(' PT1H '), 1)
    assert.equal(durationHours('P1DT2H30M'), 26.5)
  })
  it('refuses a T with nothing after it, text around it, and a unit out of order', () => {
    for (const d of ['P1DT', 'xPT1H', 'PT1Hx', 'PT1M1H', 'PT1S1M', 'P1D1W', 'PT1.H', 'PT.5H', 'P1H', 'T1H'])
      assert.equal(durationHours(d), null, d)
  })
  it('writes whole hours, minutes alone and nothing as PT0S', () => {
    assert.equal(hoursDuration(1), 'PT1H')
    assert.equal(hoursDuration(0), 'PT0S')
    assert.equal(hoursDuration(0.004), 'PT0S') // 0.24 minutes rounds to none
    assert.equal(hoursDuration(2.75), 'PT2H45M')
    assert.equal(hoursDuration(0.5), 'PT30M')
  })
})

describe('xAPI: the module an activity names, at the edges', () => {
  it('takes an extension that is not a code as no code, and a blank one as none given', () => {
    const ext = (v: unknown) => ({ 'https://keywork.example/xapi/extensions/module-code': v })
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL', ext('not a code!')), null)
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL', ext('  ')), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL', ext(7)), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL', [ext('LOCAL-1')]), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL', ext(' local-1 ')), 'LOCAL-1')
  })
  it('reads a code with no path before it, escaped characters, an underscore; refuses a bad escape and a long code', () => {
    assert.equal(moduleCodeOf('kw-initial'), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms/a/kw%2Dtopup_mi'), 'KW-TOPUP_MI')
    assert.equal(moduleCodeOf('https://lms/a/KW%E0%A4%A'), null)
    assert.equal(moduleCodeOf('https://lms/a/-KW'), null)
    assert.equal(moduleCodeOf(`https://lms/a/${'K'.repeat(60)}`), 'K'.repeat(60))
    assert.equal(moduleCodeOf(`https://lms/a/${'K'.repeat(61)}`), null)
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL//'), 'KW-INITIAL')
    assert.equal(moduleCodeOf('https://lms/a/KW-INITIAL#/x/y'), 'KW-INITIAL')
  })
})

describe('xAPI: reading a statement, at the edges', () => {
  const errors = (raw: unknown) => {
    const r = parseStatement(raw, TODAY)
    return r.ok ? [] : r.errors
  }
  const value = (raw: unknown) => {
    const r = parseStatement(raw, TODAY)
    assert.ok(r.ok, JSON.stringify(r))
    return r.value
  }

  it('refuses what is not an object', () => {
    for (const raw of [null, [good], 'x', 3])
      assert.deepEqual(errors(raw), ['a statement must be a JSON object'], JSON.stringify(raw))
  })

  it('refuses an id with text around the UUID, and cuts a long one at 120 characters', () => {
    assert.deepEqual(errors({ ...good, id: `x${good.id}` }), [`id "x${good.id}" is not a UUID`])
    assert.deepEqual(errors({ ...good, id: `${good.id}0` }), [`id "${good.id}0" is not a UUID`])
    const long = 'a'.repeat(121)
    assert.deepEqual(errors({ ...good, id: long }), [`id "${'a'.repeat(120)}…" is not a UUID`])
    assert.deepEqual(errors({ ...good, id: 'b'.repeat(120) }), [`id "${'b'.repeat(120)}" is not a UUID`])
    assert.equal(value({ ...good, id: ` ${good.id} ` }).id, '6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e')
  })

  it('takes the mbox over the account, in any case of mailto:, and refuses what is not an email', () => {
    const both = { mbox: 'MAILTO: Ann@Example.org', account: { name: 'MDI0201' } }
    assert.deepEqual(value({ ...good, actor: both }).actor, { email: 'ann@example.org', account: null })
    for (const mbox of ['ann@example.org', 'mailto:ann@', 'mailto:@example.org', 'mailto:a b@x.org', 'mailto:a@b@c'])
      assert.deepEqual(errors({ ...good, actor: { mbox } }), [
        `actor.mbox "${mbox}" must be mailto: and an email address`,
      ])
    const neither = 'actor has neither an mbox (mailto: the officer’s email) nor an account name (the staff number)'
    assert.deepEqual(errors({ ...good, actor: { account: { name: '  ' } } }), [neither])
    assert.deepEqual(errors({ ...good, actor: { account: 'MDI0201' } }), [neither])
    assert.deepEqual(errors({ ...good, actor: [] }), ['actor is missing: it must name the officer by mbox or account'])
  })

  it('reads a failed verb; refuses a missing verb and a success that contradicts failed', () => {
    const failed = { ...good, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' }, result: { success: false } }
    assert.equal(value(failed).outcome, 'failed')
    assert.equal(value({ ...good, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }).outcome, 'passed')
    assert.deepEqual(errors({ ...good, verb: {} }), ['verb.id is missing'])
    assert.deepEqual(errors({ ...good, verb: 'completed' }), ['verb.id is missing'])
    assert.deepEqual(errors({ ...failed, result: { success: true } }), [
      'result.success is true but the verb is failed',
    ])
    // success false with completed, true with passed: nothing contradicts
    assert.equal(value({ ...good, result: { success: false } }).outcome, 'completed')
    assert.deepEqual(
      errors({ ...good, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: true } }),
      [],
    )
    assert.deepEqual(errors({ ...good, result: { success: 'yes' } }), ['result.success must be true or false'])
  })

  it('takes an Activity object, with its code from the definition’s extension', () => {
    const object = {
      objectType: 'Activity',
      id: 'urn:lms:course:17',
      definition: { extensions: { 'https://keywork.example/xapi/extensions/module-code': 'local-mdi-1' } },
    }
    assert.deepEqual(
      [value({ ...good, object }).moduleCode, value({ ...good, object }).activityId],
      ['LOCAL-MDI-1', 'urn:lms:course:17'],
    )
    assert.deepEqual(errors({ ...good, object: { ...object, objectType: 'Agent' } }), [
      'object.objectType must be Activity',
    ])
    assert.deepEqual(errors({ ...good, object: { objectType: 'Activity' } }), ['object.id is missing'])
    assert.deepEqual(errors({ ...good, object: { id: '  ' } }), ['object.id is missing'])
    assert.deepEqual(errors({ ...good, object: undefined }), [
      'object is missing: it must be the activity (the module)',
    ])
    assert.equal(value({ ...good, object: { id: 'https://lms/a/kw-mh', definition: 'x' } }).moduleCode, 'KW-MH')
    assert.deepEqual(errors({ ...good, object: { id: 'https://lms/a/b c' } }), [
      'object.id "https://lms/a/b c" does not end in a module code, like …/KW-TOPUP-MI',
    ])
  })

  it('reads the hours of the duration, rounded to hundredths, more than 0 and at most 200', () => {
    // 1 h 20 min = 1.333… → 1.33
    assert.equal(value({ ...good, result: { duration: 'PT1H20M' } }).hours, 1.33)
    assert.equal(value({ ...good, result: { duration: 'PT200H' } }).hours, 200)
    assert.equal(value({ ...good, result: {} }).hours, null)
    assert.equal(value({ ...good, result: undefined }).hours, null)
    assert.deepEqual(errors({ ...good, result: { duration: 'PT0S' } }), ['result.duration must be more than 0'])
    assert.deepEqual(errors({ ...good, result: { duration: 'PT200H1M' } }), [
      'result.duration must be 200 hours or fewer',
    ])
    assert.deepEqual(errors({ ...good, result: { duration: 2 } }), [
      'result.duration "2" must be an ISO 8601 duration in hours, like PT2H30M',
    ])
    assert.deepEqual(errors({ ...good, result: 'done' }), ['result must be an object'])
    assert.deepEqual(errors({ ...good, result: null }), ['result must be an object'])
  })

  it('reads timestamps with or without seconds and fractions, any offset; refuses impossible dates and times', () => {
    const day = (timestamp: string) => value({ ...good, timestamp }).completedOn
    assert.equal(day('2026-03-19T10:00Z'), '2026-03-19')
    assert.equal(day('2026-03-19t10:00:00.123456789z'), '2026-03-19')
    // 01:00 at +02:00 is 23:00 UTC the day before (London is on GMT in March before the 29th)
    assert.equal(day('2026-03-19T01:00:00+02:00'), '2026-03-18')
    // 22:00 at −05:00 is 03:00 UTC the next day
    assert.equal(day('2026-03-18T22:00:00-0500'), '2026-03-19')
    assert.equal(day('2024-02-29T12:00:00Z'), '2024-02-29')
    assert.equal(day('2026-03-20T12:00:00Z'), TODAY) // today itself is not the future
    assert.equal(day('1990-01-01T12:00:00Z'), '1990-01-01')
    const bad = (ts: string) => `timestamp "${ts}" must be a date and time with its offset, like 2026-03-27T14:00:00Z`
    for (const ts of [
      '2026-02-29T12:00:00Z',
      '2026-04-31T12:00:00Z',
      '2026-13-01T12:00:00Z',
      '2026-00-10T12:00:00Z',
      '2026-03-00T12:00:00Z',
      '2026-03-19T24:00:00Z',
      '2026-03-19T10:60:00Z',
      '2026-03-19T10:00:60Z',
      '2026-03-19T10:00:00',
      '2026-03-19 10:00:00Z',
      '2026-03-19T10:00:00+01',
      'x2026-03-19T10:00:00Z',
      '2026-03-19T10:00:00Zx',
    ])
      assert.deepEqual(errors({ ...good, timestamp: ts }), [bad(ts)], ts)
    assert.deepEqual(errors({ ...good, timestamp: '1989-12-31T12:00:00Z' }), ['timestamp is before 1990'])
    assert.deepEqual(errors({ ...good, timestamp: 20260319 }), [
      'timestamp is missing: keywork needs the day the module was finished',
    ])
  })

  it('takes nothing else as a list of statements', () => {
    assert.equal(statementsOf(null), null)
    assert.deepEqual(statementsOf([1]), [1])
  })

  it('writes a statement whole: an email as the mbox, else the account of the staff number', () => {
    const c = {
      id: '0b7c0b0e-1111-4222-8333-444455556666',
      actor: { name: 'Ann Tester', email: null, staffNumber: 'MDI0201', homePage: 'https://kw' },
      activityId: 'https://kw/training/modules/KW-INITIAL',
      title: 'Key Worker initial course',
      outcome: 'failed' as const,
      hours: 1.5,
      completedOn: '2026-03-02',
      stored: '2026-03-03T09:00:00.000Z',
    }
    assert.deepEqual(statementOf(c), {
      id: '0b7c0b0e-1111-4222-8333-444455556666',
      actor: { objectType: 'Agent', name: 'Ann Tester', account: { homePage: 'https://kw', name: 'MDI0201' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-GB': 'failed' } },
      object: {
        objectType: 'Activity',
        id: 'https://kw/training/modules/KW-INITIAL',
        definition: { name: { 'en-GB': 'Key Worker initial course' } },
      },
      result: { success: false, completion: true, duration: 'PT1H30M' },
      timestamp: '2026-03-02T12:00:00Z',
      stored: '2026-03-03T09:00:00.000Z',
      version: '1.0.3',
    })
    const withEmail = statementOf({ ...c, outcome: 'completed', actor: { ...c.actor, email: 'ann@example.org' } })
    assert.deepEqual(withEmail.actor, { objectType: 'Agent', name: 'Ann Tester', mbox: 'mailto:ann@example.org' })
    assert.deepEqual(withEmail.result.success, true)
    assert.equal(withEmail.verb.id, 'http://adlnet.gov/expapi/verbs/completed')
  })
})
