import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { durationHours, hoursDuration, moduleCodeOf, parseStatement, statementOf, statementsOf } from './xapi'

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
