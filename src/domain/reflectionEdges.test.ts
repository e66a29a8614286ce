import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { caseloadPatterns, checkReflection } from './reflection'

// The reflection check at its edges, each expected flag written out by hand: the longest name wins where two start
// at the same word, spaces inside a name, a blank first name, names that differ only in ß and ss, fields left out,
// and the patterns a caseload gives.

describe('reflection check: the longest name wins where two start together', () => {
  it('flags a full name whole when its first name is another prisoner’s surname, whatever the caseload’s order', () => {
    // "Kowal" (Jan Kowal's surname) starts where "Kowal Nowicki" does: the full name is the one hit
    const caseload = [
      { firstName: 'Jan', lastName: 'Kowal' },
      { firstName: 'Kowal', lastName: 'Nowicki' },
    ]
    assert.deepEqual(checkReflection({ description: 'I met Kowal Nowicki on the wing' }, caseload), [
      { field: 'description', kind: 'name', text: 'Kowal Nowicki' },
    ])
    assert.deepEqual(checkReflection({ description: 'I met Kowal Nowicki on the wing' }, [...caseload].reverse()), [
      { field: 'description', kind: 'name', text: 'Kowal Nowicki' },
    ])
  })

  it('flags a full name whole when its first name is an everyday-word surname found with a capital', () => {
    // "White" (Tom White's surname, an everyday word) starts where "White Kowal" does
    const caseload = [
      { firstName: 'Tom', lastName: 'White' },
      { firstName: 'White', lastName: 'Kowal' },
    ]
    assert.deepEqual(checkReflection({ analysis: 'White Kowal was calm' }, caseload), [
      { field: 'analysis', kind: 'name', text: 'White Kowal' },
    ])
  })
})

describe('reflection check: the words of a name', () => {
  it('finds a name written with one space when the caseload has two inside the first name', () => {
    // "Li" is too short to look for alone, so only the full name "Mary  Ann Li" can flag it
    assert.deepEqual(
      checkReflection({ title: 'Talk with mary ann li' }, [{ firstName: 'Mary  Ann', lastName: 'Li' }]),
      [{ field: 'title', kind: 'name', text: 'mary ann li' }],
    )
  })

  it('does not look for a short surname alone because the first name is blank', () => {
    for (const firstName of ['', '   '])
      assert.deepEqual(checkReflection({ title: 'Ng said hello; an ng here' }, [{ firstName, lastName: 'Ng' }]), [])
  })

  it('does not look for an everyday-word surname in any case because the first name is blank', () => {
    // "White" alone is found only with a capital, whether or not the first name is known
    assert.deepEqual(
      checkReflection({ feelings: 'the white board, then White' }, [{ firstName: '', lastName: 'White' }]),
      [{ field: 'feelings', kind: 'name', text: 'White' }],
    )
  })
})

describe('reflection check: names that differ only in ß and ss are two names', () => {
  const caseload = [
    { firstName: 'Anna', lastName: 'Strauß' },
    { firstName: 'Anna', lastName: 'Strauss' },
  ]

  it('looks for both full names and both surnames', () => {
    assert.deepEqual(
      checkReflection({ title: 'Anna Strauß', description: 'Saw Strauß', analysis: 'Anna Strauss too' }, caseload),
      [
        { field: 'title', kind: 'name', text: 'Anna Strauß' },
        { field: 'description', kind: 'name', text: 'Strauß' },
        { field: 'analysis', kind: 'name', text: 'Anna Strauss' },
      ],
    )
  })

  it('lists each once in a field where both are written', () => {
    assert.deepEqual(checkReflection({ conclusion: 'Strauß, then Strauss' }, caseload), [
      { field: 'conclusion', kind: 'name', text: 'Strauß' },
      { field: 'conclusion', kind: 'name', text: 'Strauss' },
    ])
  })
})

describe('reflection check: fields and patterns', () => {
  it('skips a field given as undefined and reads the rest', () => {
    const fields: Partial<Record<'title' | 'description', string>> = { description: 'A1234BC' }
    Object.assign(fields, { title: undefined })
    assert.deepEqual(checkReflection(fields, []), [{ field: 'description', kind: 'prison_number', text: 'A1234BC' }])
  })

  it('gives one pattern when no surname is an everyday word, and none for an empty caseload', () => {
    assert.equal(caseloadPatterns([]).length, 0)
    const one = caseloadPatterns([{ firstName: 'Jan', lastName: 'Kowal' }])
    assert.equal(one.length, 1)
    assert.ok(one[0] instanceof RegExp)
  })

  it('flags nothing in a text that names no one, whatever words it holds', () => {
    assert.deepEqual(checkReflection({ title: 'the value was null' }, [{ firstName: 'Jan', lastName: 'Kowal' }]), [])
  })
})
