import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readability, sentencesOf, syllables, wordsOf } from './readability'

describe('readability', () => {
  it('counts syllables of common words within the heuristic', () => {
    const expected: Record<string, number> = {
      cat: 1,
      make: 1,
      the: 1,
      table: 2,
      hoped: 1,
      wanted: 2,
      money: 2,
      release: 2,
      family: 3,
      prisoner: 3,
      idea: 3,
      going: 2,
      video: 3,
      understanding: 4,
    }
    for (const [word, n] of Object.entries(expected)) assert.equal(syllables(word), n, word)
    assert.equal(syllables(''), 0)
  })

  it('splits words and sentences, counting headings and list items as sentences', () => {
    assert.deepEqual(wordsOf("Don't stop—it's 45 minutes."), ["Don't", 'stop', "it's", '45', 'minutes'])
    assert.deepEqual(sentencesOf('One. Two! Three?\nA heading\n\nList item'), [
      'One.',
      'Two!',
      'Three?',
      'A heading',
      'List item',
    ])
  })

  it('scores short, plain sentences as very easy and a young reading age', () => {
    const r = readability('The cat sat on the mat. It was a good day.')
    assert.equal(r.words, 11)
    assert.equal(r.sentences, 2)
    assert.equal(r.syllables, 11)
    // 206.835 - 1.015 * 5.5 - 84.6 * 1 = 116.65; grade 0.39 * 5.5 + 11.8 - 15.59 = -1.645
    assert.equal(r.readingEase, 116.7)
    assert.equal(r.grade, -1.6)
    assert.equal(r.readingAge, 5)
    assert.equal(r.band, 'Very easy')
  })

  it('scores long sentences of long words as very hard and an adult reading age', () => {
    const r = readability(
      'The Key Worker signposts prisoners to internal and external services and supports them to engage effectively with rehabilitative interventions.',
    )
    assert.equal(r.sentences, 1)
    assert.equal(r.words, 19)
    assert.ok(r.readingEase < 30, `ease ${r.readingEase}`)
    assert.ok(r.grade > 15, `grade ${r.grade}`)
    assert.equal(r.readingAge, Math.round(r.grade + 5))
    assert.equal(r.band, 'Very hard')
  })

  it('gives empty text a neutral score, never NaN', () => {
    const r = readability('  \n ')
    assert.equal(r.words, 0)
    assert.equal(r.readingAge, 5)
    assert.ok(Number.isFinite(r.readingEase))
  })
})
