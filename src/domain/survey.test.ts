import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  checkAnswers,
  checkRound,
  checkThresholds,
  closedDay,
  freeTextShown,
  resultCells,
  roundStatus,
  surveyRoleOf,
} from './survey'

describe('survey rules', () => {
  it('a round is scheduled, open or closed by its dates, and closed early when closed_on is set', () => {
    const r = { opens_on: '2026-03-01', closes_on: '2026-03-28', closed_on: null }
    assert.equal(roundStatus(r, '2026-02-28'), 'scheduled')
    assert.equal(roundStatus(r, '2026-03-01'), 'open')
    assert.equal(roundStatus(r, '2026-03-28'), 'open')
    assert.equal(roundStatus(r, '2026-03-29'), 'closed')
    assert.equal(roundStatus({ ...r, closed_on: '2026-03-10' }, '2026-03-10'), 'closed')
    assert.equal(closedDay(r), '2026-03-28')
    assert.equal(closedDay({ ...r, closed_on: '2026-03-10' }), '2026-03-10')
  })

  it('checks a round in one pass: past opening, closing before opening, no statement', () => {
    const errors = checkRound(
      {
        title: 't',
        opensOn: '2026-02-01',
        closesOn: '2026-01-01',
        questions: [{ code: 'c', kind: 'text', text: 'x' }],
      },
      '2026-03-01',
      [],
    )
    assert.deepEqual(Object.keys(errors).sort(), ['closesOn', 'opensOn', 'questions'])
  })

  it('refuses a round overlapping one not closed, and allows one after a round closed early', () => {
    const q = [{ code: 'c', kind: 'scale' as const, text: 'x' }]
    const other = { title: 'Spring', opens_on: '2026-03-01', closes_on: '2026-03-28', closed_on: null }
    const input = { title: 't', opensOn: '2026-03-20', closesOn: '2026-04-10', questions: q }
    assert.match(checkRound(input, '2026-03-15', [other]).opensOn ?? '', /overlap the round “Spring”/)
    assert.deepEqual(checkRound(input, '2026-03-15', [{ ...other, closed_on: '2026-03-12' }]), {})
    // touching on the last day overlaps; the day after does not
    assert.ok(checkRound({ ...input, opensOn: '2026-03-28' }, '2026-03-15', [other]).opensOn)
    assert.deepEqual(checkRound({ ...input, opensOn: '2026-03-29' }, '2026-03-15', [other]), {})
  })

  it('needs every statement answered 1 to 5; free text is optional and capped', () => {
    const qs = [
      { id: 1, code: 'a', kind: 'scale' as const, text: 'A' },
      { id: 2, code: 'b', kind: 'scale' as const, text: 'B' },
      { id: 3, code: 'c', kind: 'text' as const, text: 'C' },
    ]
    const bad = checkAnswers(qs, { q1: '6', q2: '', q3: 'x'.repeat(2001) })
    assert.deepEqual(bad.ok ? [] : Object.keys(bad.errors), ['q1', 'q2', 'q3'])
    const good = checkAnswers(qs, { q1: '1', q2: '5', q3: '  ' })
    assert.deepEqual(good.ok ? good.answers : null, [
      { questionId: 1, value: 1, text: null },
      { questionId: 2, value: 5, text: null },
    ])
  })

  it('keeps the thresholds in bounds', () => {
    assert.deepEqual(checkThresholds(5, 5), {})
    assert.deepEqual(Object.keys(checkThresholds(4, 20)), ['threshold'])
    assert.deepEqual(Object.keys(checkThresholds(10, 9)), ['freeTextThreshold'])
    assert.deepEqual(Object.keys(checkThresholds(10.5, 20)), ['threshold'])
    assert.deepEqual(Object.keys(checkThresholds(10, 1001)), ['freeTextThreshold'])
  })

  it('answers as a Key Worker before a Supervising Officer before an admin; national roles do not count', () => {
    assert.equal(surveyRoleOf(['ESTABLISHMENT_ADMIN', 'KEY_WORKER']), 'KEY_WORKER')
    assert.equal(surveyRoleOf(['ESTABLISHMENT_ADMIN', 'SUPERVISING_OFFICER']), 'SUPERVISING_OFFICER')
    assert.equal(surveyRoleOf(['NATIONAL_POLICY']), null)
  })
})

describe('survey results', () => {
  it('computes each shown cell’s means from the sums (worked by hand)', () => {
    // A: KW 10 answering 'x' with sum 36, SO 10 with sum 40 → A 76 / 20 = 3.8, KW 3.6, SO 4.0; national the same
    const cells = resultCells(
      [
        { establishmentId: 1, role: 'KEY_WORKER', n: 10, sums: { x: 36 } },
        { establishmentId: 1, role: 'SUPERVISING_OFFICER', n: 10, sums: { x: 40 } },
      ],
      ['x'],
      10,
    )
    assert.deepEqual(
      cells.map(c => [c.key, c.n, c.shown, c.means?.x]),
      [
        ['all', 20, true, 3.8],
        ['e1', 20, true, 3.8],
        ['e1/KEY_WORKER', 10, true, 3.6],
        ['e1/SUPERVISING_OFFICER', 10, true, 4],
      ],
    )
  })

  it('no shown total minus any shown parts reveals a group under the threshold (random trees, brute force)', () => {
    const roles = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN']
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 5, max: 12 }),
        (establishments, threshold) => {
          const groups = establishments.flatMap((ns, e) =>
            ns.map((n, r) => ({ establishmentId: e + 1, role: roles[r]!, n, sums: { x: 3 * n } })),
          )
          const cells = resultCells(groups, ['x'], threshold)
          const shown = cells.filter(c => c.shown)
          // every shown cell: at least the threshold, and its mean is there; hidden ones carry no mean
          for (const c of cells) assert.equal(c.means !== null, c.shown)
          for (const c of shown) assert.ok(c.n >= threshold)
          // parents: the national total over establishments, each establishment over its roles
          const parents: [number, number[]][] = []
          const all = shown.find(c => c.level === 'national')
          if (all) parents.push([all.n, shown.filter(c => c.level === 'establishment').map(c => c.n)])
          for (const e of shown.filter(c => c.level === 'establishment'))
            parents.push([
              e.n,
              shown.filter(c => c.level === 'role' && c.establishmentId === e.establishmentId).map(c => c.n),
            ])
          for (const [total, parts] of parents)
            for (let mask = 0; mask < 1 << parts.length; mask++) {
              let rest = total
              parts.forEach((n, i) => {
                if (mask & (1 << i)) rest -= n
              })
              assert.ok(rest === 0 || rest >= threshold, `${total} minus ${mask} of ${parts.join(',')} = ${rest}`)
            }
          // a role shows only under a shown establishment
          for (const c of shown.filter(x => x.level === 'role'))
            assert.ok(shown.some(e => e.level === 'establishment' && e.establishmentId === c.establishmentId))
        },
      ),
      { numRuns: 400 },
    )
  })

  it('free text: the national list and each establishment’s with the higher threshold, protected the same way', () => {
    // 20 + 19: 39 − 20 = 19 < 20 would give the other away, so neither establishment shows; the national list does
    assert.deepEqual(
      freeTextShown(
        new Map([
          [1, 20],
          [2, 19],
        ]),
        20,
      ),
      { national: true, establishments: new Set() },
    )
    // 20 + 25: both show, 45 − 20 − 25 = 0
    assert.deepEqual(
      freeTextShown(
        new Map([
          [1, 20],
          [2, 25],
        ]),
        20,
      ),
      { national: true, establishments: new Set([1, 2]) },
    )
  })
})
