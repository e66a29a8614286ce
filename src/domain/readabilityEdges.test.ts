import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readability, sentencesOf, syllables, wordsOf } from './readability'

/**
 * A text of `count` sentences, `words` words and `syls` syllables, spread as evenly as they go: words of one
 * syllable ("he", "went", "to", "the", "gym", ...) and of two ("landing", "kitchen", "money", "visits"). The
 * tests below check the three counts the text comes to before reading anything from its score.
 */
function text(count: number, words: number, syls: number): string {
  const one = ['he', 'went', 'to', 'the', 'gym', 'and', 'then', 'back', 'on', 'wing']
  const two = ['landing', 'kitchen', 'money', 'visits']
  const extra = syls - words
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const n = Math.floor(words / count) + (i < words % count ? 1 : 0)
    const t = Math.floor(extra / count) + (i < extra % count ? 1 : 0)
    const ws = Array.from({ length: n }, (_, j) => (j < t ? two[j % two.length]! : one[j % one.length]!))
    out.push(`${ws.join(' ')}.`)
  }
  return out.join(' ')
}

describe('readability: syllables, the edges of the heuristic', () => {
  it('letters only: an apostrophe adds nothing', () => {
    assert.equal(syllables("don't"), 1)
    assert.equal(syllables("He'll"), 1)
  })

  it('a word of three letters or fewer is one syllable, whatever its vowels', () => {
    // "eat" and "via" would count 2 by the vowel-pair rules (ea before t; ia after v)
    assert.equal(syllables('eat'), 1)
    assert.equal(syllables('via'), 1)
  })

  it('a silent -es goes after a consonant, but -les keeps its syllable', () => {
    assert.equal(syllables('makes'), 1)
    assert.equal(syllables('tables'), 2)
  })

  it('-ed is silent only at the end of a word, and the letter before it stays', () => {
    // "needed": the -ed after d is said; an "eed" inside the word is not an ending
    assert.equal(syllables('needed'), 2)
    // "agreed" drops -ed but keeps the e before it: a-gree
    assert.equal(syllables('agreed'), 2)
  })

  it('a y at the start of a word is a consonant', () => {
    assert.equal(syllables('yard'), 1)
    assert.equal(syllables('yesterday'), 3)
  })

  it('vowel pairs said as two syllables: ia (not after c, s or t), io (not before u or n), ua, quo, ier at the end', () => {
    assert.equal(syllables('media'), 3)
    assert.equal(syllables('social'), 2)
    assert.equal(syllables('period'), 3)
    assert.equal(syllables('action'), 2)
    assert.equal(syllables('actual'), 3)
    assert.equal(syllables('quote'), 1)
    assert.equal(syllables('fierce'), 1)
  })

  it('a vowel before -ing at the end of a word adds a syllable', () => {
    // "going": one vowel group (oi) and the -oing ending: go-ing
    assert.equal(syllables('going'), 2)
    assert.equal(syllables('seeing'), 2)
  })
})

describe('readability: words and sentences, the edges', () => {
  it('a hyphenated word is one word, however short its parts', () => {
    assert.deepEqual(wordsOf('Self-harm and x-ray, B-wing'), ['Self-harm', 'and', 'x-ray', 'B-wing'])
  })

  it('sentences are trimmed, and space after the last one is not a sentence', () => {
    assert.deepEqual(sentencesOf('He is settled on the wing. '), ['He is settled on the wing.'])
    assert.deepEqual(sentencesOf('Agreed actions \nApply for the kitchen job'), [
      'Agreed actions',
      'Apply for the kitchen job',
    ])
    assert.equal(readability('He is settled on the wing.\n\n - \n').sentences, 1)
  })

  it('a number is one syllable; a word with digits in it is read by its letters', () => {
    const r = readability('He had Covid-19 in May. The 30-minute session ran 45 minutes.')
    assert.equal(r.words, 11)
    assert.equal(r.sentences, 2)
    // he 1, had 1, Covid-19 2 (co-vid), in 1, May 1; the 1, 30-minute 2 (min-ute), session 2, ran 1, 45 1, minutes 2
    assert.equal(r.syllables, 15)
    // 206.835 - 1.015 * 5.5 - 84.6 * 15 / 11 = 206.835 - 5.5825 - 115.3636 = 85.889
    assert.equal(r.readingEase, 85.9)
    // 0.39 * 5.5 + 11.8 * 15 / 11 - 15.59 = 2.145 + 16.0909 - 15.59 = 2.6459; age round(7.6459) = 8
    assert.equal(r.grade, 2.6)
    assert.equal(r.readingAge, 8)
    assert.equal(r.band, 'Easy')
  })
})

describe('readability: each band starts at its score', () => {
  const cases: [string, number, number, number, number, string][] = [
    // [rule, sentences, words, syllables, ease, band]
    // 206.835 - 1.015 * 216 / 29 - 84.6 * 279 / 216 = 206.835 - 7.56 - 109.275 = 90
    ['90 is very easy', 29, 216, 279, 90, 'Very easy'],
    // 206.835 - 1.015 * 360 / 145 - 84.6 * 529 / 360 = 206.835 - 2.52 - 124.315 = 80
    ['80 is easy', 145, 360, 529, 80, 'Easy'],
    // 206.835 - 1.015 * 1081 / 29 - 84.6 * 1265 / 1081 = 206.835 - 37.835 - 99 = 70
    ['70 is fairly easy', 29, 1081, 1265, 70, 'Fairly easy'],
    // 206.835 - 1.015 * 846 / 14 - 84.6 * 855 / 846 = 206.835 - 61.335 - 85.5 = 60
    ['60 is plain English', 14, 846, 855, 60, 'Plain English'],
    // 206.835 - 1.015 * 376 / 94 - 84.6 * 679 / 376 = 206.835 - 4.06 - 152.775 = 50
    ['50 is fairly hard', 94, 376, 679, 50, 'Fairly hard'],
    // 206.835 - 1.015 * 480 / 29 - 84.6 * 908 / 480 = 206.835 - 16.8 - 160.035 = 30
    ['30 is hard', 29, 480, 908, 30, 'Hard'],
  ]
  for (const [rule, count, words, syls, ease, band] of cases)
    it(`a reading ease of exactly ${rule}`, () => {
      const r = readability(text(count, words, syls))
      assert.deepEqual([r.sentences, r.words, r.syllables], [count, words, syls])
      assert.equal(r.readingEase, ease)
      assert.equal(r.band, band)
    })
})
