// Rules of "what changed" between two versions of a text, and of the reading-ease bands, that mutation testing found
// unprotected (npm run mutation, MUTATE=src/domain/textdiff.ts,src/domain/readability.ts). Expected values by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readability } from './readability'
import { textDiff } from './textdiff'

const line = (text: string, changed = false) => ({ text, changed })

describe('text diff rules', () => {
  it('two equal texts are the same, their lines folded into one gap', () => {
    assert.deepEqual(textDiff('a\nb', 'a\nb'), { rows: [{ kind: 'gap', lines: 2 }], added: 0, removed: 0, same: true })
  })

  it('Windows line ends and a missing last line end are not changes', () => {
    assert.equal(textDiff('a\r\nb', 'a\nb\n').same, true)
  })

  it('a removed last line is a change: shown whole, with the line before it as context', () => {
    assert.deepEqual(textDiff('a\nb\n', 'a\n'), {
      rows: [
        { kind: 'same', segments: [line('a')] },
        { kind: 'removed', segments: [line('b')] },
      ],
      added: 0,
      removed: 1,
      same: false,
    })
  })

  it('an added line alone is a change', () => {
    const diff = textDiff('a\n', 'a\nb\n')
    assert.deepEqual([diff.added, diff.removed, diff.same], [1, 0, false])
  })

  it('a line replaced by two is shown as removed and added whole, not word by word', () => {
    assert.deepEqual(textDiff('a\nb\n', 'a\nc\nd\n').rows, [
      { kind: 'same', segments: [line('a')] },
      { kind: 'removed', segments: [line('b')] },
      { kind: 'added', segments: [line('c')] },
      { kind: 'added', segments: [line('d')] },
    ])
  })

  it('keeps `context` unchanged lines either side of a change and folds the rest into gaps', () => {
    const before = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].join('\n')
    const after = before.replace('six', 'SIX')
    assert.deepEqual(textDiff(before, after, 1), {
      rows: [
        { kind: 'gap', lines: 4 },
        { kind: 'same', segments: [line('five')] },
        { kind: 'removed', segments: [line('six', true)] },
        { kind: 'added', segments: [line('SIX', true)] },
        { kind: 'same', segments: [line('seven')] },
        { kind: 'gap', lines: 3 },
      ],
      added: 1,
      removed: 1,
      same: false,
    })
  })
})

describe('reading-ease bands', () => {
  // One sentence of n one-syllable words: ease = 206.835 - 1.015 × n - 84.6 × 1 = 122.235 - 1.015 × n
  const sentence = (n: number) => `${Array.from({ length: n }, () => 'cat').join(' ')}.`
  it('names each band from the reading ease', () => {
    assert.equal(readability(sentence(20)).band, 'Very easy') // 101.9
    assert.equal(readability(sentence(35)).band, 'Easy') // 86.7
    assert.equal(readability(sentence(45)).band, 'Fairly easy') // 76.6
    assert.equal(readability(sentence(55)).band, 'Plain English') // 66.4
    assert.equal(readability(sentence(65)).band, 'Fairly hard') // 56.3
    assert.equal(readability(sentence(80)).band, 'Hard') // 41.0
    assert.equal(readability(sentence(100)).band, 'Very hard') // 20.7
    assert.equal(readability(sentence(35)).readingEase, 86.7)
  })
})
