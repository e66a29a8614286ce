import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  FIELD_NAMES,
  FLAG_KIND_NAMES,
  GIBBS_STAGES,
  JOURNAL_FORMS,
  JOURNAL_FORM_NAMES,
  MAX_MINUTES,
  SHORT_TEXT_NAME,
  STAGE_MAX,
  TITLE_MAX,
  checkReflection,
  flagsKey,
  parseFlags,
} from './reflection'

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

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('the reflective journal: the words and limits of the form', () => {
  it('names the forms, the six Gibbs stages in order with their questions, the fields and the flags', () => {
    assert.deepEqual(JOURNAL_FORMS, ['gibbs', 'short'])
    assert.deepEqual(JOURNAL_FORM_NAMES, { gibbs: "Gibbs' reflective cycle", short: 'Short reflection' })
    assert.deepEqual(GIBBS_STAGES, [
      { key: 'description', label: 'Description', hint: 'What happened? Describe the situation, without names.' },
      { key: 'feelings', label: 'Feelings', hint: 'What were you thinking and feeling at the time?' },
      { key: 'evaluation', label: 'Evaluation', hint: 'What was good and what was bad about the experience?' },
      { key: 'analysis', label: 'Analysis', hint: 'What sense can you make of it? What helped or got in the way?' },
      { key: 'conclusion', label: 'Conclusion', hint: 'What else could you have done? What have you learned?' },
      {
        key: 'actionPlan',
        label: 'Action plan',
        hint: 'If it happened again, what would you do? What will you do next?',
      },
    ])
    assert.deepEqual(FIELD_NAMES, {
      title: 'Title',
      description: 'Description',
      feelings: 'Feelings',
      evaluation: 'Evaluation',
      analysis: 'Analysis',
      conclusion: 'Conclusion',
      actionPlan: 'Action plan',
    })
    assert.equal(SHORT_TEXT_NAME, 'Reflection')
    assert.deepEqual([MAX_MINUTES, STAGE_MAX, TITLE_MAX], [600, 4000, 120])
    assert.deepEqual(FLAG_KIND_NAMES, { prison_number: 'Prison number', name: 'Name of a prisoner on your caseload' })
  })
})

describe('the reflection check: edges', () => {
  it('does not take a digit next to a prison number or a name as a word boundary', () => {
    const caseload = [{ firstName: 'Darius', lastName: 'Kowalczyk' }]
    assert.deepEqual(checkReflection({ analysis: '9A1234BC, A1234BC9, 2Kowalczyk, Kowalczyk2' }, caseload), [])
    assert.deepEqual(checkReflection({ analysis: 'éA1234BC, Kowalczykś, ßKowalczyk' }, caseload), [])
  })

  it('flags a surname of three letters alone', () => {
    assert.deepEqual(checkReflection({ description: 'xue was late' }, [{ firstName: 'Ming', lastName: 'Xue' }]), [
      { field: 'description', kind: 'name', text: 'xue' },
    ])
  })

  it('flags an everyday surname in capitals too, but not in mixed case', () => {
    const caseload = [{ firstName: 'Peter', lastName: 'white' }]
    assert.deepEqual(checkReflection({ description: 'MR WHITE, then wHITE' }, caseload), [
      { field: 'description', kind: 'name', text: 'WHITE' },
    ])
  })

  it('ignores a prisoner without a surname, and trims the names it has', () => {
    assert.deepEqual(checkReflection({ description: 'Darius said so' }, [{ firstName: 'Darius', lastName: '  ' }]), [])
    assert.deepEqual(
      checkReflection({ description: 'then Darius Nowak came' }, [{ firstName: ' Darius ', lastName: ' Nowak ' }]),
      [{ field: 'description', kind: 'name', text: 'Darius Nowak' }],
    )
  })

  it('reads the characters of a name as letters, not as a pattern', () => {
    const caseload = [{ firstName: 'Ann', lastName: 'St. Clair' }]
    assert.deepEqual(checkReflection({ description: 'Stx Clair and St Clair' }, caseload), [])
    assert.deepEqual(checkReflection({ description: 'with St.  Clair' }, caseload), [
      { field: 'description', kind: 'name', text: 'St.  Clair' },
    ])
  })

  it('matches any apostrophe for any apostrophe', () => {
    const caseload = [{ firstName: 'Sean', lastName: "O'Neill" }]
    assert.deepEqual(checkReflection({ conclusion: 'O’Neill and o`neill' }, caseload), [
      { field: 'conclusion', kind: 'name', text: 'O’Neill' },
      { field: 'conclusion', kind: 'name', text: 'o`neill' },
    ])
  })

  it('gives the longest finding where a full name and an everyday surname start together', () => {
    // "Will" is an everyday word: the surname pattern is the capitalised one, the full name the one in any case
    const caseload = [
      { firstName: 'Long', lastName: 'Will' },
      { firstName: 'Amy', lastName: 'Long' },
    ]
    assert.deepEqual(checkReflection({ description: 'Long Will spoke' }, caseload), [
      { field: 'description', kind: 'name', text: 'Long Will' },
    ])
  })

  it('reads back flags of both kinds, and drops those with a missing text, a wrong kind or no object', () => {
    const both = [
      { field: 'title', kind: 'name', text: 'Nowak' },
      { field: 'analysis', kind: 'prison_number', text: 'A1234BC' },
    ]
    assert.deepEqual(parseFlags(JSON.stringify(both)), both)
    assert.deepEqual(
      parseFlags(
        JSON.stringify([
          null,
          'title',
          { field: 'title', kind: 'name' },
          { field: 'title', kind: 'name', text: 7 },
          { field: 'title', kind: 'address', text: 'x' },
          { field: 'title', kind: 'name', text: 'kept' },
        ]),
      ),
      [{ field: 'title', kind: 'name', text: 'kept' }],
    )
    assert.deepEqual(parseFlags(undefined), [])
    assert.deepEqual(parseFlags(''), [])
  })

  it('keys flags by field, kind and text in lower case, in order, joined by a bar', () => {
    assert.equal(
      flagsKey([
        { field: 'title', kind: 'name', text: 'Nowak' },
        { field: 'analysis', kind: 'prison_number', text: 'A1234BC' },
      ]),
      'title:name:nowak|analysis:prison_number:a1234bc',
    )
  })
})
