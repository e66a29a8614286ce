import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DEFAULT_CRITERIA,
  DEFAULT_QUESTIONS,
  MIN_PAIRS,
  agreement,
  candidateCode,
  checkQuestion,
  finalScore,
  keptUntil,
  needsModeration,
  onScale,
  retentionDue,
} from './recruitment'

describe('inter-rater agreement against a worked example', () => {
  // Six candidates scored by assessor A and assessor B on one question, scale 1–4:
  //   (1,1) (2,2) (2,3) (3,3) (3,4) (4,2)
  // exact: pairs 1, 2 and 4 agree → 3/6 = 0.5
  // adjacent (at most one point apart): all but (4,2) → 5/6
  // quadratic weighted kappa = 1 − Σ(a−b)² / Σ expected (i−j)²:
  //   observed Σ(a−b)² = 0 + 0 + 1 + 0 + 1 + 4 = 6
  //   A's scores 1,2,3,4 are given 1,2,2,1 times; B's also 1,2,2,1 times
  //   Σ_i Σ_j rA_i · rB_j · (i−j)² = (2+8+9) + (2+4+8) + (8+4+2) + (9+8+2) = 19 + 14 + 14 + 19 = 66
  //   expected = 66 / n = 66 / 6 = 11 → kappa = 1 − 6/11 = 5/11
  // Krippendorff's alpha, ordinal: values given n1=2, n2=4, n3=4, n4=2 times (n = 12)
  //   δ²(c,k) = (n_c + … + n_k − (n_c + n_k)/2)²: δ²(1,2)=9, δ²(1,3)=49, δ²(1,4)=100, δ²(2,3)=16, δ²(2,4)=49, δ²(3,4)=9
  //   observed (coincidences, both orders): (2,3): 2·16 + (3,4): 2·9 + (2,4): 2·49 = 32 + 18 + 98 = 148
  //   expected Σ n_c n_k δ² (both orders): 2·(72 + 392 + 400 + 256 + 392 + 72) = 3168
  //   alpha = 1 − (n − 1) · 148 / 3168 = 1 − 11 · 148 / 3168 = 1 − 1628/3168 = 35/72
  const pairs = [
    [1, 1],
    [2, 2],
    [2, 3],
    [3, 3],
    [3, 4],
    [4, 2],
  ] as const

  it('gives exact and adjacent agreement, the weighted kappa and alpha of the hand-worked example', () => {
    const a = agreement(pairs, 4)
    assert.equal(a.n, 6)
    assert.equal(a.enough, true)
    assert.equal(a.exact, 0.5)
    assert.equal(a.adjacent, 5 / 6)
    assert.ok(Math.abs(a.kappa! - 5 / 11) < 1e-12, `kappa ${a.kappa}`)
    assert.ok(Math.abs(a.alpha! - 35 / 72) < 1e-12, `alpha ${a.alpha}`)
  })

  it('does not depend on which assessor is A: the example swapped gives the same', () => {
    const a = agreement(
      pairs.map(([x, y]) => [y, x] as const),
      4,
    )
    assert.ok(Math.abs(a.kappa! - 5 / 11) < 1e-12)
    assert.equal(a.exact, 0.5)
  })

  it('perfect agreement: kappa 1; every score the same: kappa cannot be computed', () => {
    const perfect = agreement(
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
        [2, 2],
      ],
      4,
    )
    assert.equal(perfect.kappa, 1)
    assert.equal(perfect.exact, 1)
    const same = agreement(
      Array.from({ length: 5 }, () => [3, 3] as const),
      4,
    )
    assert.equal(same.kappa, null)
    assert.equal(same.exact, 1)
  })

  it('says not enough pairs under the minimum, and reports at exactly the minimum', () => {
    assert.equal(MIN_PAIRS, 5)
    const four = agreement(pairs.slice(0, 4), 4)
    assert.deepEqual(four, { n: 4, enough: false, exact: null, adjacent: null, kappa: null, alpha: null })
    const five = agreement(pairs.slice(0, 5), 4)
    assert.equal(five.enough, true)
    // (1,1)(2,2)(2,3)(3,3)(3,4): exact 3/5, adjacent 5/5
    assert.equal(five.exact, 3 / 5)
    assert.equal(five.adjacent, 1)
  })

  it('a completely reversed rating: kappa −1 on two points', () => {
    // (1,4)(4,1) twice and once more each: rows A: 1 ×3 (well, see below) — pairs (1,4),(4,1),(1,4),(4,1),(1,4),(4,1)
    // observed Σ(a−b)² = 6 · 9 = 54; A gives 1 three times and 4 three times, B the same
    // expected = (3·3·9 + 3·3·9) / 6 = 162 / 6 = 27 → kappa = 1 − 54/27 = −1
    const k = agreement(
      [
        [1, 4],
        [4, 1],
        [1, 4],
        [4, 1],
        [1, 4],
        [4, 1],
      ],
      4,
    )
    assert.equal(k.kappa, -1)
    assert.equal(k.adjacent, 0)
  })
})

describe('moderation and the final score', () => {
  it('goes to the moderator only when the scores differ by MORE than the gap', () => {
    // gap 1: 2 and 3 differ by 1 (exactly the gap): the mean; 2 and 4 differ by 2 (gap + 1): the moderator
    assert.equal(needsModeration(2, 3, 1), false)
    assert.equal(needsModeration(2, 4, 1), true)
    assert.equal(needsModeration(4, 2, 1), true)
    assert.equal(needsModeration(3, 3, 0), false)
    assert.equal(needsModeration(3, 4, 0), true)
  })

  it('the final is the mean within the gap, the moderator’s beyond it, nothing until both have scored', () => {
    assert.deepEqual(finalScore(2, 3, 1, null), { score: 2.5, method: 'mean' })
    assert.deepEqual(finalScore(2, 4, 1, null), { score: null, method: 'awaiting_moderation' })
    assert.deepEqual(finalScore(2, 4, 1, 3), { score: 3, method: 'moderated' })
    assert.deepEqual(finalScore(2, null, 1, null), { score: null, method: 'awaiting_scores' })
    // a moderator's score recorded for a pair within the gap is not used
    assert.deepEqual(finalScore(2, 3, 1, 4), { score: 2.5, method: 'mean' })
  })

  it('knows the scale', () => {
    assert.equal(onScale(1, 4), true)
    assert.equal(onScale(4, 4), true)
    assert.equal(onScale(0, 4), false)
    assert.equal(onScale(5, 4), false)
    assert.equal(onScale(5, 5), true)
    assert.equal(onScale(2.5, 4), false)
  })
})

describe('questions and their anchors', () => {
  const ok = { criterionId: 3, kind: 'interview', text: 'Why?', anchors: ['a', 'b', 'c', 'd'] }

  it('takes a question with an anchor for each score point', () => {
    assert.deepEqual(checkQuestion(ok, 4, [3]), {})
    assert.deepEqual(checkQuestion({ ...ok, anchors: ['a', 'b', 'c', 'd', 'e'] }, 5, [3]), {})
  })

  it('refuses a question missing an anchor, naming each missing score point', () => {
    assert.deepEqual(checkQuestion({ ...ok, anchors: ['a', '  ', 'c'] }, 4, [3]), {
      anchor2: 'Enter the anchor for a score of 2: what a candidate who scores 2 does',
      anchor4: 'Enter the anchor for a score of 4: what a candidate who scores 4 does',
    })
    // a five-point scale needs a fifth
    assert.deepEqual(Object.keys(checkQuestion(ok, 5, [3])), ['anchor5'])
  })

  it('lists every problem at once', () => {
    assert.deepEqual(Object.keys(checkQuestion({ criterionId: 9, kind: 'chat', text: ' ', anchors: [] }, 4, [3])), [
      'criterion',
      'kind',
      'text',
      'anchor1',
      'anchor2',
      'anchor3',
      'anchor4',
    ])
  })

  it('the default framework: the four values, three behaviours and attitudes to rehabilitation, each question anchored 1–4', () => {
    assert.deepEqual(
      DEFAULT_CRITERIA.map(c => c.name),
      [
        'Purpose',
        'Humanity',
        'Openness',
        'Together',
        'Communicating and influencing',
        'Caring',
        'Making effective decisions',
        'Attitudes to rehabilitation',
      ],
    )
    const codes = DEFAULT_CRITERIA.map(c => c.code)
    for (const q of DEFAULT_QUESTIONS) {
      assert.ok(codes.includes(q.criterion), q.criterion)
      assert.deepEqual(checkQuestion({ ...q, criterionId: 1 }, 4, [1]), {}, q.text)
    }
    assert.ok(DEFAULT_QUESTIONS.some(q => q.kind === 'role_play'))
  })
})

describe('candidate codes and retention', () => {
  it('codes a candidate by year and number', () => {
    assert.equal(candidateCode(2026, 42), 'VBR-2026-0042')
    assert.equal(candidateCode(2027, 1), 'VBR-2027-0001')
  })

  it('keeps personal data to the closing date plus the retention days, and deletes it the day after', () => {
    // closes 31 March 2026, kept 30 days: to 30 April 2026; due on 1 May
    assert.equal(keptUntil('2026-03-31', 30), '2026-04-30')
    assert.equal(retentionDue('2026-03-31', 30, '2026-04-30'), false)
    assert.equal(retentionDue('2026-03-31', 30, '2026-05-01'), true)
  })
})
