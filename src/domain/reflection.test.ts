import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkReflection, flagsKey, parseFlags } from './reflection'

const CASELOAD = [
  { firstName: 'Darius', lastName: 'Kowalczyk' },
  { firstName: 'Peter', lastName: 'White' },
  { firstName: 'Jon', lastName: 'Li' },
  { firstName: 'Aled', lastName: 'Pritchard-Evans' },
]

describe('the reflection check: prison numbers', () => {
  it('flags a prison number in the analysis, with the field and the text as written', () => {
    assert.deepEqual(
      checkReflection({ description: 'A difficult wing round.', analysis: 'When I saw A1234BC at the door' }, []),
      [{ field: 'analysis', kind: 'prison_number', text: 'A1234BC' }],
    )
  })

  it('flags one in any case, and at the very start or end of a text', () => {
    assert.deepEqual(checkReflection({ feelings: 'a1234bc upset me', conclusion: 'about z9876yx' }, []), [
      { field: 'feelings', kind: 'prison_number', text: 'a1234bc' },
      { field: 'conclusion', kind: 'prison_number', text: 'z9876yx' },
    ])
  })

  it('flags one next to punctuation: (A1234BC), A1234BC’s, "A1234BC."', () => {
    const flags = checkReflection({ description: '(A1234BC) then B2222BB’s cell, and "C3333CC."' }, [])
    assert.deepEqual(
      flags.map(f => f.text),
      ['A1234BC', 'B2222BB', 'C3333CC'],
    )
  })

  it('does not flag what is not one: A1234, A12345BC, 1234BC, A1234B, XA1234BC, A1234BCD, A 1234 BC', () => {
    const text = 'Room A1234 and A12345BC, code 1234BC, A1234B, XA1234BC, A1234BCD, A 1234 BC'
    assert.deepEqual(checkReflection({ analysis: text }, []), [])
  })
})

describe('the reflection check: names of prisoners on the caseload', () => {
  it('flags a caseload surname in the description, in any case and before a possessive', () => {
    assert.deepEqual(checkReflection({ description: 'I spoke with kowalczyk about it' }, CASELOAD), [
      { field: 'description', kind: 'name', text: 'kowalczyk' },
    ])
    assert.deepEqual(checkReflection({ description: 'then KOWALCZYK’s cellmate' }, CASELOAD), [
      { field: 'description', kind: 'name', text: 'KOWALCZYK' },
    ])
  })

  it('flags a full name as one finding, not the full name and the surname', () => {
    assert.deepEqual(checkReflection({ evaluation: 'Darius  Kowalczyk was calmer.' }, CASELOAD), [
      { field: 'evaluation', kind: 'name', text: 'Darius  Kowalczyk' },
    ])
  })

  it('lists the same text in the same field once', () => {
    assert.deepEqual(checkReflection({ title: 'Kowalczyk and kowalczyk again, Kowalczyk' }, CASELOAD), [
      { field: 'title', kind: 'name', text: 'Kowalczyk' },
    ])
  })

  it('does not flag a name of someone not on the caseload, nor a surname inside a longer word', () => {
    const text = 'Mr Nowak and Kowalczykowski, a Whitehall memo, Lionel'
    assert.deepEqual(checkReflection({ description: text }, CASELOAD), [])
  })

  it('does not flag a first name alone', () => {
    assert.deepEqual(checkReflection({ description: 'Darius and Peter were there.' }, CASELOAD), [])
  })

  it('flags a surname that is an everyday word only when written with a capital', () => {
    assert.deepEqual(checkReflection({ description: 'I used the white board.' }, CASELOAD), [])
    assert.deepEqual(checkReflection({ description: 'Mr White was angry.' }, CASELOAD), [
      { field: 'description', kind: 'name', text: 'White' },
    ])
    assert.deepEqual(checkReflection({ description: 'peter white shouted.' }, CASELOAD), [
      { field: 'description', kind: 'name', text: 'peter white' },
    ])
  })

  it('flags a surname of two letters only within the full name', () => {
    assert.deepEqual(checkReflection({ description: 'Li said no; as did li.' }, CASELOAD), [])
    assert.deepEqual(checkReflection({ description: 'Jon Li said no.' }, CASELOAD), [
      { field: 'description', kind: 'name', text: 'Jon Li' },
    ])
  })

  it('finds a hyphenated surname whole, with any hyphen', () => {
    assert.deepEqual(checkReflection({ analysis: 'Pritchard–Evans asked for help' }, CASELOAD), [
      { field: 'analysis', kind: 'name', text: 'Pritchard–Evans' },
    ])
  })

  it('checks every field, in the order given, and keeps names and numbers apart', () => {
    const flags = checkReflection(
      {
        title: 'After the wing round',
        description: 'Kowalczyk (A1234BC) asked me',
        feelings: '',
        actionPlan: 'See Mr White on Monday',
      },
      CASELOAD,
    )
    assert.deepEqual(flags, [
      { field: 'description', kind: 'name', text: 'Kowalczyk' },
      { field: 'description', kind: 'prison_number', text: 'A1234BC' },
      { field: 'actionPlan', kind: 'name', text: 'White' },
    ])
  })

  it('finds nothing with an empty caseload but prison numbers', () => {
    assert.deepEqual(checkReflection({ description: 'Kowalczyk, White' }, []), [])
  })
})

describe('flags stored and confirmed', () => {
  it('gives a confirmation key that changes when the findings change', () => {
    const a = checkReflection({ analysis: 'A1234BC' }, [])
    const b = checkReflection({ analysis: 'A1234BC and B2222BB' }, [])
    assert.equal(flagsKey(a), 'analysis:prison_number:a1234bc')
    assert.notEqual(flagsKey(a), flagsKey(b))
    assert.equal(flagsKey([]), '')
  })

  it('reads stored flags back, and anything malformed as none', () => {
    const flags = checkReflection({ analysis: 'A1234BC' }, [])
    assert.deepEqual(parseFlags(JSON.stringify(flags)), flags)
    assert.deepEqual(parseFlags('not json'), [])
    assert.deepEqual(parseFlags('{"a":1}'), [])
    assert.deepEqual(parseFlags('[{"field":"nowhere","kind":"name","text":"x"}]'), [])
    assert.deepEqual(parseFlags(null), [])
  })
})
