import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { countByKind, handoverContents, mayHandOver } from './handover'

describe('transfer handover rules', () => {
  it('may be prepared for a man in custody or transferred out, not one released', () => {
    assert.equal(mayHandOver('in'), true)
    assert.equal(mayHandOver('transferred'), true)
    assert.equal(mayHandOver('released'), false)
  })

  it('says what a handover holds in plain English', () => {
    const cases: [Record<'goal' | 'referral' | 'agreed', number>, boolean, string][] = [
      [{ goal: 0, referral: 0, agreed: 0 }, false, 'nothing'],
      [{ goal: 0, referral: 0, agreed: 0 }, true, 'a note'],
      [{ goal: 1, referral: 0, agreed: 0 }, false, '1 open goal'],
      [{ goal: 2, referral: 1, agreed: 0 }, false, '2 open goals and 1 open referral'],
      [
        { goal: 2, referral: 1, agreed: 1 },
        true,
        '2 open goals, 1 open referral, what was agreed at 1 session and a note',
      ],
      [{ goal: 0, referral: 3, agreed: 2 }, false, '3 open referrals and what was agreed at 2 sessions'],
    ]
    for (const [counts, note, expected] of cases) assert.equal(handoverContents(counts, note), expected)
  })

  it('counts items by kind, ignoring kinds it does not know', () => {
    assert.deepEqual(countByKind([{ kind: 'goal' }, { kind: 'agreed' }, { kind: 'goal' }, { kind: 'other' }]), {
      goal: 2,
      referral: 0,
      agreed: 1,
    })
  })
})
