import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { textDiff } from './textdiff'

describe('textDiff', () => {
  it('reports nothing for the same text', () => {
    const d = textDiff('a\nb\n', 'a\nb\n')
    assert.equal(d.same, true)
    assert.equal(d.added + d.removed, 0)
  })

  it('shows changed lines with their changed words, context around them, and folds the rest', () => {
    const before = ['one', 'two', 'three', 'four', 'five', 'six', 'The cat sat.', 'seven', ''].join('\n')
    const after = ['one', 'two', 'three', 'four', 'five', 'six', 'The dog sat.', 'seven', 'eight', ''].join('\n')
    const d = textDiff(before, after, 1)
    assert.equal(d.removed, 1)
    assert.equal(d.added, 2)
    assert.deepEqual(d.rows[0], { kind: 'gap', lines: 5 })
    assert.deepEqual(
      d.rows
        .slice(1)
        .map(r =>
          r.kind === 'gap'
            ? `gap ${r.lines}`
            : `${r.kind} ${r.segments.map(s => (s.changed ? `[${s.text}]` : s.text)).join('')}`,
        ),
      ['same six', 'removed The [cat] sat.', 'added The [dog] sat.', 'same seven', 'added eight'],
    )
  })

  it('treats a first version as all added', () => {
    const d = textDiff('', '# Guide\n\nHello\n')
    assert.equal(d.removed, 0)
    assert.equal(d.added, 3)
    assert.ok(d.rows.every(r => r.kind === 'added'))
  })
})
