import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CONTRIBUTOR_ROLE_NAMES, MODULE_FORMAT_NAMES } from './training'
import {
  HOURS_MAX,
  MODULE_CODE,
  NATIONAL_PROGRAMME_V1,
  parseCodes,
  parseOutcomes,
  prerequisiteCycle,
  prerequisiteProblems,
} from './trainingProgramme'

describe('the national programme, version 1', () => {
  const byCode = new Map(NATIONAL_PROGRAMME_V1.modules.map(m => [m.code, m]))

  it('has the five-day initial course and the four top-ups, with the codes the other features use', () => {
    assert.deepEqual(
      NATIONAL_PROGRAMME_V1.modules.map(m => [m.code, m.kind, m.hours]),
      [
        ['KW-INITIAL', 'initial', 30],
        ['KW-TOPUP-MI', 'topup', 3],
        ['KW-TOPUP-ENTRIES', 'topup', 2],
        ['KW-TOPUP-MH', 'topup', 3],
        ['KW-TOPUP-PATHWAYS', 'topup', 2],
      ],
    )
    const initial = byCode.get('KW-INITIAL')!
    assert.equal(initial.days, 5)
    assert.equal(initial.format, 'workshop')
    assert.deepEqual(initial.prerequisites, [])
    for (const code of ['KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-PATHWAYS'])
      assert.deepEqual(byCode.get(code)!.prerequisites, ['KW-INITIAL'], code)
  })

  it('covers every subject of the initial course the review names', () => {
    const outcomes = byCode.get('KW-INITIAL')!.outcomes.join('\n').toLowerCase()
    for (const subject of [
      'communication',
      'motivational interviewing',
      'mental health',
      'self-harm',
      'personality disorder',
      'key work entry',
      'reflect',
      'human rights',
      'rehabilitation',
      'seven pathways',
    ])
      assert.ok(outcomes.includes(subject), subject)
  })

  it('is valid by its own rules: codes, hours, formats, outcomes, prerequisites', () => {
    for (const m of NATIONAL_PROGRAMME_V1.modules) {
      assert.match(m.code, MODULE_CODE)
      assert.ok(m.hours > 0 && m.hours <= HOURS_MAX, m.code)
      assert.ok(m.format in MODULE_FORMAT_NAMES, m.code)
      assert.ok(m.outcomes.length >= 3, m.code)
      assert.ok(m.title && m.summary, m.code)
    }
    assert.equal(prerequisiteProblems(NATIONAL_PROGRAMME_V1.modules).size, 0)
  })

  it('was co-created by the six people of the issue, each with a role, named as illustrative', () => {
    assert.deepEqual(
      NATIONAL_PROGRAMME_V1.contributors.map(c => c.role),
      ['academic', 'psychologist', 'mental_health', 'prison_officer', 'prison_officer', 'prisoner_voice'],
    )
    for (const c of NATIONAL_PROGRAMME_V1.contributors) {
      assert.ok(c.role in CONTRIBUTOR_ROLE_NAMES)
      assert.match(c.name, /\(illustrative\)$/)
    }
    assert.ok(NATIONAL_PROGRAMME_V1.summary.length > 20)
  })
})

describe('module codes and outcomes typed in a form', () => {
  it('reads codes separated by commas, spaces or lines, upper case, each once', () => {
    assert.deepEqual(parseCodes(' kw-initial, KW-TOPUP-MI\nkw-initial ;LOCAL-MDI-1 '), [
      'KW-INITIAL',
      'KW-TOPUP-MI',
      'LOCAL-MDI-1',
    ])
    assert.deepEqual(parseCodes('  '), [])
  })
  it('reads outcomes one a line, without bullets or blank lines', () => {
    assert.deepEqual(parseOutcomes('- Listen\n\n• Summarise  \r\n* Refer'), ['Listen', 'Summarise', 'Refer'])
  })
  it('accepts a code of a letter then letters, digits and hyphens, 2 to 40', () => {
    assert.deepEqual(
      ['KW-INITIAL', 'LOCAL-MDI-1', 'A', '1-KW', 'KW INITIAL', 'K'.repeat(40), 'K'.repeat(41)].map(c =>
        MODULE_CODE.test(c),
      ),
      [true, true, false, false, false, true, false],
    )
  })
})

describe('prerequisites', () => {
  const m = (code: string, ...prerequisites: string[]) => ({ code, prerequisites })

  it('finds no circle in a chain or a diamond', () => {
    assert.equal(prerequisiteCycle([m('A'), m('B', 'A'), m('C', 'A'), m('D', 'B', 'C')]), null)
  })
  it('finds a circle of three, from a module back to itself', () => {
    assert.deepEqual(prerequisiteCycle([m('A', 'C'), m('B', 'A'), m('C', 'B')]), ['A', 'C', 'B', 'A'])
  })
  it('finds a circle of two whatever the case of the codes', () => {
    assert.deepEqual(prerequisiteCycle([m('x', 'Y'), m('y', 'x'), m('Z')]), ['X', 'Y', 'X'])
  })
  it('names an unknown prerequisite, a module that needs itself, and a circle', () => {
    assert.deepEqual(
      [...prerequisiteProblems([m('A'), m('B', 'A', 'NOPE'), m('C', 'C')])],
      [
        ['B', 'There is no module with the code NOPE'],
        ['C', 'C cannot be its own prerequisite'],
      ],
    )
    assert.deepEqual(
      [...prerequisiteProblems([m('A', 'B'), m('B', 'A')])],
      [['A', 'The prerequisites go round in a circle: A → B → A']],
    )
    // codes known from elsewhere (the national modules, for a local one)
    assert.equal(prerequisiteProblems([m('LOCAL-1', 'KW-INITIAL')], ['KW-INITIAL', 'LOCAL-1']).size, 0)
    assert.deepEqual(
      [...prerequisiteProblems([m('L', 'P', 'Q')], ['L'])],
      [['L', 'There are no modules with the codes P, Q']],
    )
  })
})
