// Rules of the referrals on a session entry that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/sessionEntry.ts): whom a referral is to, its follow-up date, and which rows count.
// Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { entryText } from './fixtures'
import { type EntryText, checkEntry } from './sessionEntry'

const ctx = { today: '2026-05-20', receptionDate: '2025-02-03', openGoalIds: [] }
const text = (referrals: EntryText['referrals']) => entryText({ referrals })
const row = (to: string, note = '', followUp = '') => ({ to, note, followUp })
const errorsOf = (referrals: EntryText['referrals']) => {
  const r = checkEntry(text(referrals), ctx)
  return r.ok ? {} : r.errors
}

describe('session entry rules: referrals', () => {
  it('refers to a directory service by its id or to a team by its code, with a follow-up date', () => {
    const r = checkEntry(text([row('service:ab12-CD34', 'Housing form', '20/5/2026'), row('stakeholder:pom')]), ctx)
    assert.ok(r.ok)
    assert.deepEqual(r.entry.referrals, [
      {
        field: 'referral0To',
        serviceId: 'ab12-CD34',
        stakeholder: null,
        note: 'Housing form',
        followUpDate: '2026-05-20',
      },
      { field: 'referral1To', serviceId: null, stakeholder: 'pom', note: null, followUpDate: null },
    ])
  })

  it('blank rows are skipped; a row with only a note or a date must say whom it is to', () => {
    assert.deepEqual(errorsOf([row(''), row('', 'a note')]), {
      referral1To: 'Referral 2: select a service or a team to refer to',
    })
    assert.deepEqual(errorsOf([row('', '', '20/5/2026')]), {
      referral0To: 'Referral 1: select a service or a team to refer to',
    })
  })

  it('refuses a service id that is not one, and a team that is not on the list', () => {
    for (const to of ['service:../x', 'service:', 'stakeholder:nobody', 'pom', 'xservice:ab12'])
      assert.deepEqual(errorsOf([row(to)]), { referral0To: 'Referral 1: select a service or a team to refer to' }, to)
  })

  it('a follow-up date must be a real date, on or after the date of the session', () => {
    assert.deepEqual(errorsOf([row('stakeholder:pom', '', '31/2/2027')]), {
      referral0FollowUp: 'Referral 1: the date must be a real date, like 27/3/2027',
    })
    assert.deepEqual(errorsOf([row('stakeholder:pom', '', '18/5/2026')]), {
      referral0FollowUp: 'Referral 1: the follow-up date must be on or after the date of the session',
    })
    assert.deepEqual(errorsOf([row('stakeholder:pom', '', '19/5/2026')]), {})
  })
})
