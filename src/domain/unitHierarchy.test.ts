import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { descendantIds, parentProblems, unitTree } from './unitHierarchy'

// Units inside units, with the expected answers drawn out by hand (issue 20).

describe('parents of incoming units', () => {
  const existing = [
    { code: 'A', parent: null },
    { code: 'A-1', parent: 'A' },
    { code: 'B', parent: null },
  ]
  it('rule: a parent may be an existing unit or one added later in the same file', () => {
    assert.deepEqual(
      parentProblems(existing, [
        { code: 'A-2', parent: 'A' },
        { code: 'C-1', parent: 'C' },
        { code: 'C', parent: null },
      ]),
      [],
    )
  })
  it('rule: a parent that is nowhere, and a unit inside itself, are refused row by row', () => {
    assert.deepEqual(
      parentProblems(existing, [
        { code: 'D-1', parent: 'D' },
        { code: 'E', parent: 'E' },
        { code: 'F', parent: '' },
      ]),
      [
        { index: 0, message: 'Parent unit D is not a unit of this establishment' },
        { index: 1, message: 'A unit cannot be inside itself' },
      ],
    )
  })
  it('rule: a loop through other units is named with its whole chain', () => {
    // A is moved inside A-1, which is inside A: A in A-1 in A
    assert.deepEqual(parentProblems(existing, [{ code: 'A', parent: 'A-1' }]), [
      { index: 0, message: 'Unit A would be inside itself: A in A-1 in A' },
    ])
    // a three-unit loop made in one file: each row reports its own chain
    assert.deepEqual(
      parentProblems(
        [],
        [
          { code: 'X', parent: 'Z' },
          { code: 'Y', parent: 'X' },
          { code: 'Z', parent: 'Y' },
        ],
      ),
      [
        { index: 0, message: 'Unit X would be inside itself: X in Z in Y in X' },
        { index: 1, message: 'Unit Y would be inside itself: Y in X in Z in Y' },
        { index: 2, message: 'Unit Z would be inside itself: Z in Y in X in Z' },
      ],
    )
  })
  it('rule: a unit under a loop it is not part of is not blamed for it', () => {
    // P and Q are inside each other; R sits under P but is not in the loop
    assert.deepEqual(
      parentProblems(
        [],
        [
          { code: 'P', parent: 'Q' },
          { code: 'Q', parent: 'P' },
          { code: 'R', parent: 'P' },
        ],
      ),
      [
        { index: 0, message: 'Unit P would be inside itself: P in Q in P' },
        { index: 1, message: 'Unit Q would be inside itself: Q in P in Q' },
      ],
    )
  })
})

describe('units inside a unit', () => {
  // 1 ─ 2 ─ 4
  //   └ 3
  // 5 (apart); 6 ─ 7 ─ 6 (a loop)
  const units = [
    { id: 1, parent_id: null },
    { id: 2, parent_id: 1 },
    { id: 3, parent_id: 1 },
    { id: 4, parent_id: 2 },
    { id: 5, parent_id: null },
    { id: 6, parent_id: 7 },
    { id: 7, parent_id: 6 },
  ]
  it('rule: every depth, not the unit itself', () => {
    assert.deepEqual([...descendantIds(units, 1)].sort(), [2, 3, 4])
    assert.deepEqual([...descendantIds(units, 2)], [4])
    assert.deepEqual([...descendantIds(units, 4)], [])
    assert.deepEqual([...descendantIds(units, 5)], [])
  })
  it('rule: a loop ends the walk, without the unit itself', () => {
    assert.deepEqual([...descendantIds(units, 6)], [7])
  })
})

describe('the unit tree', () => {
  it('rule: parents before the units inside them, codes in natural order, prisoners counted upwards', () => {
    const rows = unitTree([
      { id: 1, parent_id: null, code: 'B', occupied: 5 },
      { id: 2, parent_id: null, code: 'A', occupied: 1 },
      { id: 3, parent_id: 2, code: 'A-10', occupied: 7 },
      { id: 4, parent_id: 2, code: 'A-2', occupied: 3 },
      { id: 5, parent_id: 4, code: 'A-2-1', occupied: 2 },
      { id: 6, parent_id: 99, code: 'C', occupied: 4 }, // its parent is not listed: shown at the top
    ])
    assert.deepEqual(
      rows.map(r => [r.code, r.depth, r.occupiedWithin, r.parentCode, r.hasUnitsInside]),
      [
        // A: 1 + A-2 (3 + 2) + A-10 (7) = 13
        ['A', 0, 13, null, true],
        ['A-2', 1, 5, 'A', true],
        ['A-2-1', 2, 2, 'A-2', false],
        ['A-10', 1, 7, 'A', false],
        ['B', 0, 5, null, false],
        ['C', 0, 4, null, false],
      ],
    )
  })
  it('rule: units caught in a loop of parents are still listed, each once', () => {
    const rows = unitTree([
      { id: 1, parent_id: 2, code: 'L1', occupied: 1 },
      { id: 2, parent_id: 1, code: 'L2', occupied: 2 },
      { id: 3, parent_id: null, code: 'T', occupied: 0 },
    ])
    assert.deepEqual(
      rows.map(r => [r.code, r.depth, r.occupiedWithin]),
      [
        ['T', 0, 0],
        ['L1', 0, 3],
        ['L2', 1, 2],
      ],
    )
  })
})
