import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  followUpProblems,
  isOpen,
  isOverdue,
  isReferralStatus,
  nextStatuses,
  referralEmail,
  referralTarget,
} from './referrals'

// The rules of a referral's follow-up, each with its expected value written out by hand (issue 20).

describe('referral statuses', () => {
  it('rule: sent may be acknowledged, done or declined; acknowledged done or declined; closed ones nothing', () => {
    assert.deepEqual(nextStatuses('sent'), ['acknowledged', 'done', 'declined'])
    assert.deepEqual(nextStatuses('acknowledged'), ['done', 'declined'])
    assert.deepEqual(nextStatuses('done'), [])
    assert.deepEqual(nextStatuses('declined'), [])
    assert.deepEqual(nextStatuses('lost'), [])
    assert.deepEqual(nextStatuses('toString'), [])
  })
  it('rule: only the four statuses are statuses, not a property every object has', () => {
    for (const s of ['sent', 'acknowledged', 'done', 'declined']) assert.equal(isReferralStatus(s), true, s)
    for (const s of ['', 'Sent', 'open', 'constructor']) assert.equal(isReferralStatus(s), false, s)
  })
  it('rule: open is sent or acknowledged', () => {
    assert.deepEqual(['sent', 'acknowledged', 'done', 'declined', ''].map(isOpen), [true, true, false, false, false])
  })
})

describe('overdue', () => {
  const today = '2026-12-06'
  it('rule: open and its follow-up date before today', () => {
    assert.equal(isOverdue({ status: 'sent', follow_up_date: '2026-12-05' }, today), true)
    assert.equal(isOverdue({ status: 'acknowledged', follow_up_date: '2026-11-01' }, today), true)
  })
  it('rule: not on the day itself, not without a date, never once closed', () => {
    assert.equal(isOverdue({ status: 'sent', follow_up_date: today }, today), false)
    assert.equal(isOverdue({ status: 'sent', follow_up_date: null }, today), false)
    assert.equal(isOverdue({ status: 'done', follow_up_date: '2026-01-01' }, today), false)
    assert.equal(isOverdue({ status: 'declined', follow_up_date: '2026-01-01' }, today), false)
  })
})

describe('what a follow-up must carry', () => {
  const today = '2026-12-06'
  const f = (from: string, to: string, followUpDate: string | null, note: string | null = null) =>
    followUpProblems({ from, to, followUpDate, note }, today)
  it('rule: declining needs a note saying why', () => {
    assert.deepEqual(f('sent', 'declined', null), { note: 'Enter why the referral was declined' })
    assert.deepEqual(f('acknowledged', 'declined', null, 'No places until spring'), {})
  })
  it('rule: acknowledging needs a follow-up date, today or later', () => {
    assert.deepEqual(f('sent', 'acknowledged', null), {
      followUpDate: 'Enter when you will follow the referral up next',
    })
    assert.deepEqual(f('sent', 'acknowledged', '2026-12-05'), {
      followUpDate: 'The follow-up date must be today or in the future',
    })
    assert.deepEqual(f('sent', 'acknowledged', today), {})
  })
  it('rule: an open referral’s new date is not in the past; a closed one keeps its old date', () => {
    assert.deepEqual(f('sent', 'sent', '2026-12-01'), {
      followUpDate: 'The follow-up date must be today or in the future',
    })
    assert.deepEqual(f('acknowledged', 'acknowledged', null), {})
    assert.deepEqual(f('sent', 'sent', null), {})
    assert.deepEqual(f('sent', 'done', '2026-01-01'), {})
    assert.deepEqual(f('acknowledged', 'declined', '2026-01-01', 'Full'), {})
  })
  it('rule: staying declined needs no new note (only a move to declined does)', () => {
    assert.deepEqual(f('declined', 'declined', null), {})
  })
})

describe('where a referral goes', () => {
  it('rule: a team by its name, a directory service by its name, a removed service said so', () => {
    assert.equal(referralTarget({ stakeholder: 'pom', service_name: 'Ignored' }), 'Prison Offender Manager (POM)')
    assert.equal(referralTarget({ stakeholder: 'unknown_team' }), 'unknown_team')
    assert.equal(referralTarget({ stakeholder: null, service_name: 'Shelter' }), 'Shelter')
    assert.equal(referralTarget({ stakeholder: null, service_name: null }), 'A service no longer in the directory')
    assert.equal(referralTarget({ stakeholder: null }), 'A service no longer in the directory')
  })
})

describe('the email a service receives', () => {
  const base = {
    establishmentName: 'Leeds (HMP)',
    serviceName: 'Shelter',
    contactName: 'Sam Jones',
    prisonerName: 'Tomasz Nowak',
    prisonNumber: 'A1234BC',
    keyWorkerName: 'Jo Whitfield',
    keyWorkerEmail: 'jo.whitfield@justice.gov.uk',
    note: 'Needs an address for release on 1 March.',
    followUpDate: '2026-12-20',
  }
  it('rule: every fact in the subject, the body and the personalisation', () => {
    const e = referralEmail(base)
    assert.equal(e.subject, 'Referral from Leeds (HMP): Tomasz Nowak (A1234BC)')
    assert.equal(
      e.body,
      [
        'Dear Sam Jones,',
        '',
        'Jo Whitfield, Key Worker at Leeds (HMP), has referred Tomasz Nowak (prison number A1234BC) to Shelter.',
        '',
        'Note from the Key Worker: Needs an address for release on 1 March.',
        '',
        'The Key Worker will follow this referral up on 20 December 2026. Please let them know before then whether you can help.',
        'You can reply to jo.whitfield@justice.gov.uk.',
      ].join('\n'),
    )
    assert.deepEqual(e.personalisation, {
      establishment: 'Leeds (HMP)',
      service_name: 'Shelter',
      prisoner_name: 'Tomasz Nowak',
      prison_number: 'A1234BC',
      key_worker: 'Jo Whitfield',
      key_worker_email: 'jo.whitfield@justice.gov.uk',
      note: 'Needs an address for release on 1 March.',
      follow_up_date: '20 December 2026',
    })
  })
  it('rule: without a contact, a note, a date or an email it says so plainly', () => {
    const e = referralEmail({ ...base, contactName: null, note: null, followUpDate: null, keyWorkerEmail: null })
    assert.equal(
      e.body,
      [
        'Dear Shelter,',
        '',
        'Jo Whitfield, Key Worker at Leeds (HMP), has referred Tomasz Nowak (prison number A1234BC) to Shelter.',
        '',
        'The Key Worker left no note.',
        '',
        'Please let the Key Worker know whether you can help.',
        'You can contact the Key Worker through Leeds (HMP).',
      ].join('\n'),
    )
    assert.equal(e.personalisation.key_worker_email, '')
    assert.equal(e.personalisation.note, '')
    assert.equal(e.personalisation.follow_up_date, '')
  })
})
