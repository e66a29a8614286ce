// Rules of small domain helpers that mutation testing found unprotected (npm run mutation: staff grades, the
// languages list, spreadsheet-safe cells, excerpts, short lists, policy names). Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LANGUAGE_OPTIONS, parseLanguageList } from './languages'
import { SETTING_NAMES } from './policy'
import { staffGrade } from './staff'
import { defuseFormula, excerpt, limitedList, restoreFormula } from './untrusted'

describe('small domain rules', () => {
  it('a staff grade is the whole value: an optional "band" or "b", then only digits', () => {
    assert.equal(staffGrade(' band 4 '), 'Band 4')
    assert.equal(staffGrade('B3'), 'Band 3')
    assert.equal(staffGrade('5'), 'Band 5')
    assert.equal(staffGrade('Grade band 3'), null)
    assert.equal(staffGrade('Band 3a'), null)
    assert.equal(staffGrade('Band 03'), 'Band 3')
    assert.equal(staffGrade('Band 33'), null)
  })

  it('the languages list starts with English, then the rest by name', () => {
    assert.deepEqual(LANGUAGE_OPTIONS[0], { code: 'en', name: 'English' })
    const rest = LANGUAGE_OPTIONS.slice(1).map(o => o.name)
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => a.localeCompare(b)),
    )
    assert.ok(!rest.includes('English'))
  })

  it('a language list skips blank entries and keeps what it cannot read, trimmed', () => {
    assert.deepEqual(parseLanguageList('Polish; ;  klingon  |'), { codes: ['pl'], unknown: ['klingon'] })
  })

  it('a cell is defused only when it starts with a formula, or apostrophes then one', () => {
    assert.equal(defuseFormula("it'=1"), "it'=1")
    assert.equal(restoreFormula("it'=1"), "it'=1")
    assert.equal(defuseFormula("''=1"), "'''=1")
    assert.equal(restoreFormula("'''=1"), "''=1")
  })

  it('an excerpt never cuts a pair of surrogates in two', () => {
    const s = `${'a'.repeat(59)}😀tail`
    assert.equal(excerpt(s), `${'a'.repeat(59)}…`)
    assert.equal(excerpt('b'.repeat(61)), `${'b'.repeat(60)}…`)
    assert.equal(excerpt(`😀${'b'.repeat(60)}`), `😀${'b'.repeat(58)}…`, 'a pair before the cut is whole')
  })

  it('a list of exactly the most items shows them all', () => {
    assert.equal(limitedList(['a', 'b'], 2), 'a, b')
    assert.equal(limitedList(['a', 'b', 'c'], 2), 'a, b, and 1 more')
  })

  it('names the policy settings in plain words', () => {
    assert.deepEqual(SETTING_NAMES, {
      ratio: 'Prisoners per Key Worker',
      frequencyWeeks: 'Session frequency in weeks',
      sessionMinutes: 'Session length in minutes',
    })
  })
})
