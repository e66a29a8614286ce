import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MIN_THRESHOLD, protectCells } from './disclosure'

type Cell = { key: string; parent?: string; n: number }

/**
 * The brute-force reference, sharing no code with protectCells: every shown cell is at least the threshold,
 * every shown cell's parent is shown, and for every shown parent, the parent minus the sum of EVERY subset of
 * its shown children (all 2^k subsets enumerated) is 0 or at least the threshold.
 */
function leaks(cells: Cell[], shown: Set<string>, threshold: number): string[] {
  const problems: string[] = []
  for (const cell of cells) {
    if (!shown.has(cell.key)) continue
    if (cell.n < threshold) problems.push(`${cell.key} shown with ${cell.n}`)
    if (cell.parent !== undefined && !shown.has(cell.parent)) problems.push(`${cell.key} shown under a hidden parent`)
    const kids = cells.filter(c => c.parent === cell.key && shown.has(c.key))
    for (let mask = 0; mask < 1 << kids.length; mask++) {
      let rest = cell.n
      for (let i = 0; i < kids.length; i++) if (mask & (1 << i)) rest -= kids[i]!.n
      if (rest !== 0 && rest < threshold) problems.push(`${cell.key} minus subset ${mask} leaves ${rest}`)
    }
  }
  return problems
}

/** national → establishments → roles, with a few respondents in an establishment outside any role cell */
const treeArbitrary = fc
  .array(
    fc.record({
      roles: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 4 }),
      extra: fc.integer({ min: 0, max: 3 }),
    }),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map(establishments => {
    const cells: Cell[] = []
    let national = 0
    establishments.forEach((e, i) => {
      const total = e.roles.reduce((a, b) => a + b, 0) + e.extra
      national += total
      cells.push({ key: `e${i}`, parent: 'all', n: total })
      e.roles.forEach((n, j) => cells.push({ key: `e${i}/r${j}`, parent: `e${i}`, n }))
    })
    cells.unshift({ key: 'all', n: national })
    return cells
  })

describe('protectCells', () => {
  it('hides a cell under the threshold and the sibling that would give it away', () => {
    // threshold 10: establishment A = KW 12 + SO 3 = 15. SO (3) is under 10; showing A (15) and KW (12) would give
    // SO = 15 − 12 = 3, so KW is hidden too. A stays (15 ≥ 10).
    const shown = protectCells(
      [
        { key: 'A', n: 15 },
        { key: 'A/KW', parent: 'A', n: 12 },
        { key: 'A/SO', parent: 'A', n: 3 },
      ],
      10,
    )
    assert.deepEqual([...shown].sort(), ['A'])
  })

  it('shows everything when every group is large enough and the parts add up', () => {
    // 30 = 20 + 10: remainder 0
    const shown = protectCells(
      [
        { key: 'all', n: 30 },
        { key: 'A', parent: 'all', n: 20 },
        { key: 'B', parent: 'all', n: 10 },
      ],
      10,
    )
    assert.deepEqual([...shown].sort(), ['A', 'B', 'all'])
  })

  it('hides the smallest shown sibling when the hidden remainder is under the threshold', () => {
    // all = 50 + 12 + 25 + 4 = 91; D (4) hidden; remainder 4 < 10, so the smallest shown (B, 12) is hidden too:
    // remainder 4 + 12 = 16 ≥ 10.
    const shown = protectCells(
      [
        { key: 'all', n: 91 },
        { key: 'A', parent: 'all', n: 50 },
        { key: 'B', parent: 'all', n: 12 },
        { key: 'C', parent: 'all', n: 25 },
        { key: 'D', parent: 'all', n: 4 },
      ],
      10,
    )
    assert.deepEqual([...shown].sort(), ['A', 'C', 'all'])
  })

  it('hides the parts of a hidden whole', () => {
    // A (8) is under 10, so its role KW (12, more than A because the data disagree) is hidden with it.
    assert.deepEqual(
      [
        ...protectCells(
          [
            { key: 'A', n: 8 },
            { key: 'A/KW', parent: 'A', n: 12 },
          ],
          10,
        ),
      ],
      [],
    )
    // with threshold 5: A (8) and KW (8) are both at least 5 and 8 − 8 = 0, so both show
    const shown = protectCells(
      [
        { key: 'A', n: 8 },
        { key: 'A/KW', parent: 'A', n: 8 },
      ],
      5,
    )
    assert.deepEqual([...shown].sort(), ['A', 'A/KW'])
  })

  it('never goes below the minimum threshold of 5', () => {
    assert.equal(MIN_THRESHOLD, 5)
    assert.deepEqual([...protectCells([{ key: 'A', n: 4 }], 1)], [])
    assert.deepEqual([...protectCells([{ key: 'A', n: 5 }], 1)], ['A'])
  })

  it('no shown parent minus any subset of its shown children is between 1 and threshold − 1 (brute force)', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.integer({ min: 5, max: 15 }), (cells, threshold) => {
        const shown = protectCells(cells, threshold)
        assert.deepEqual(leaks(cells, shown, threshold), [])
      }),
      { numRuns: 500 },
    )
  })

  it('the brute-force reference does catch a leak (it is not vacuous)', () => {
    const cells: Cell[] = [
      { key: 'A', n: 15 },
      { key: 'A/KW', parent: 'A', n: 12 },
      { key: 'A/SO', parent: 'A', n: 3 },
    ]
    assert.equal(leaks(cells, new Set(['A', 'A/KW']), 10).length > 0, true)
  })

  it('keeps every cell that is safe when no suppression is needed (it does not hide more than it must)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 10, max: 40 }), { minLength: 1, maxLength: 6 }), sizes => {
        const cells: Cell[] = [{ key: 'all', n: sizes.reduce((a, b) => a + b, 0) }]
        sizes.forEach((n, i) => cells.push({ key: `e${i}`, parent: 'all', n }))
        assert.equal(protectCells(cells, 10).size, cells.length)
      }),
    )
  })
})

describe('small-number protection at its edges', () => {
  const shown = (cells: Cell[], threshold = 5) => [...protectCells(cells, threshold)].sort()

  it('a hidden remainder of exactly the threshold is safe: nothing more is hidden', () => {
    assert.deepEqual(
      shown([
        { key: 'total', n: 15 },
        { key: 'a', parent: 'total', n: 5 },
        { key: 'b', parent: 'total', n: 5 },
      ]),
      ['a', 'b', 'total'],
    )
  })

  it('of two children the smaller is hidden, and of two the same size the first by key', () => {
    // 20 − 10 − 6 = 4 hidden: the 6 goes, leaving 10 hidden
    assert.deepEqual(
      shown([
        { key: 'total', n: 20 },
        { key: 'b', parent: 'total', n: 10 },
        { key: 'a', parent: 'total', n: 6 },
      ]),
      ['b', 'total'],
    )
    // 24 − 10 − 10 = 4: either 10 would do; "a" goes
    assert.deepEqual(
      shown([
        { key: 'total', n: 24 },
        { key: 'a', parent: 'total', n: 10 },
        { key: 'b', parent: 'total', n: 10 },
      ]),
      ['b', 'total'],
    )
    assert.deepEqual(
      shown([
        { key: 'total', n: 24 },
        { key: 'b', parent: 'total', n: 10 },
        { key: 'a', parent: 'total', n: 10 },
      ]),
      ['b', 'total'],
    )
  })

  it('a cell naming a parent the table does not have is judged on its own', () => {
    assert.deepEqual(shown([{ key: 'a', parent: 'missing', n: 10 }]), ['a'])
    assert.deepEqual(shown([{ key: 'a', parent: 'missing', n: 4 }]), [])
  })

  it('cells whose parents go round in a circle are not shown', () => {
    assert.deepEqual(
      shown([
        { key: 'a', parent: 'b', n: 10 },
        { key: 'b', parent: 'a', n: 10 },
        { key: 'c', n: 10 },
      ]),
      ['c'],
    )
  })
})
