import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LANGUAGES, LANGUAGE_OPTIONS, languageCode, languageName, parseLanguageList } from './languages'

describe('languages', () => {
  it('knows the languages most often met, including the largest foreign national groups', () => {
    for (const name of ['Albanian', 'Polish', 'Romanian', 'Irish', 'Lithuanian', 'English', 'Welsh'])
      assert.ok(languageCode(name), name)
  })

  it('accepts a code or an English name in any case, trimmed', () => {
    assert.equal(languageCode('pl'), 'pl')
    assert.equal(languageCode(' PL '), 'pl')
    assert.equal(languageCode('polish'), 'pl')
    assert.equal(languageCode('Chinese (Cantonese)'), 'yue')
  })

  it('accepts common other names', () => {
    assert.equal(languageCode('Mandarin'), 'zh')
    assert.equal(languageCode('cantonese'), 'yue')
    assert.equal(languageCode('Persian'), 'fa')
    assert.equal(languageCode('Farsi'), 'fa')
  })

  it('returns null for unknown languages', () => {
    assert.equal(languageCode('Klingon'), null)
    assert.equal(languageCode(''), null)
    assert.equal(languageCode('xx'), null)
  })

  it('names a code, and leaves an unknown code as it is', () => {
    assert.equal(languageName('ro'), 'Romanian')
    assert.equal(languageName('bsl'), 'British Sign Language')
    assert.equal(languageName('zz'), 'zz')
  })

  it('parses a list with any separator, dropping duplicates and reporting unknowns', () => {
    assert.deepEqual(parseLanguageList('Polish; ro, pl | Welsh'), { codes: ['pl', 'ro', 'cy'], unknown: [] })
    assert.deepEqual(parseLanguageList('English; Elvish;;'), { codes: ['en'], unknown: ['Elvish'] })
    assert.deepEqual(parseLanguageList(''), { codes: [], unknown: [] })
  })

  it('offers English first, then the rest by name', () => {
    assert.equal(LANGUAGE_OPTIONS[0]!.code, 'en')
    const rest = LANGUAGE_OPTIONS.slice(1).map(o => o.name)
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => a.localeCompare(b)),
    )
    assert.equal(LANGUAGE_OPTIONS.length, Object.keys(LANGUAGES).length)
  })
})
