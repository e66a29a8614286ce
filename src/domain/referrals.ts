import { REFERRAL_STATUSES, type ReferralStatus, STAKEHOLDERS } from './sessions'
import { formatDate } from './dates'

// Pure rules of a referral's follow-up (no I/O): which status may follow which, when one is overdue, and the
// email a directory service receives.

const NEXT: Record<ReferralStatus, ReferralStatus[]> = {
  sent: ['acknowledged', 'done', 'declined'],
  acknowledged: ['done', 'declined'],
  done: [],
  declined: [],
}

export const isReferralStatus = (v: string): v is ReferralStatus => Object.hasOwn(REFERRAL_STATUSES, v)

/** The statuses a referral may move to from `status`; none once it is done or declined. */
export function nextStatuses(status: string): ReferralStatus[] {
  return isReferralStatus(status) ? NEXT[status] : []
}

export const isOpen = (status: string) => status === 'sent' || status === 'acknowledged'

/** Past its follow-up date and still waiting on an answer or an outcome. */
export function isOverdue(r: { status: string; follow_up_date: string | null }, today: string): boolean {
  return isOpen(r.status) && r.follow_up_date !== null && r.follow_up_date < today
}

/**
 * What a follow-up must carry. Acknowledging a referral sets when to chase it next, so it needs a follow-up date
 * today or later (it is never overdue against the date it was sent with); an open referral's new date is never in the
 * past either. Declining needs a note saying why; a note is optional otherwise. Closing (done or declined) keeps the
 * date as it was: a closed referral is never overdue. Field → message, empty when the follow-up may be saved.
 */
export function followUpProblems(
  input: { from: string; to: string; followUpDate: string | null; note: string | null },
  today: string,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const moved = input.to !== input.from
  if (moved && input.to === 'declined' && !input.note) errors.note = 'Enter why the referral was declined'
  if (moved && input.to === 'acknowledged' && !input.followUpDate)
    errors.followUpDate = 'Enter when you will follow the referral up next'
  else if (isOpen(input.to) && input.followUpDate !== null && input.followUpDate < today)
    errors.followUpDate = 'The follow-up date must be today or in the future'
  return errors
}

/** Where a referral goes, as people read it. */
export function referralTarget(r: { service_name?: string | null; stakeholder: string | null }): string {
  if (r.stakeholder) return STAKEHOLDERS[r.stakeholder as keyof typeof STAKEHOLDERS] ?? r.stakeholder
  return r.service_name ?? 'A service no longer in the directory'
}

export interface ReferralEmailInput {
  establishmentName: string
  serviceName: string
  contactName: string | null
  prisonerName: string
  prisonNumber: string
  keyWorkerName: string
  keyWorkerEmail: string | null
  note: string | null
  followUpDate: string | null
}

/** The email a service receives: the subject, a plain-text body, and the same facts as Notify personalisation. */
export function referralEmail(i: ReferralEmailInput) {
  const followUp = i.followUpDate ? formatDate(i.followUpDate) : ''
  const lines = [
    `Dear ${i.contactName ?? i.serviceName},`,
    '',
    `${i.keyWorkerName}, Key Worker at ${i.establishmentName}, has referred ${i.prisonerName} (prison number ${i.prisonNumber}) to ${i.serviceName}.`,
    '',
    i.note ? `Note from the Key Worker: ${i.note}` : 'The Key Worker left no note.',
    '',
    followUp
      ? `The Key Worker will follow this referral up on ${followUp}. Please let them know before then whether you can help.`
      : 'Please let the Key Worker know whether you can help.',
    i.keyWorkerEmail
      ? `You can reply to ${i.keyWorkerEmail}.`
      : `You can contact the Key Worker through ${i.establishmentName}.`,
  ]
  return {
    subject: `Referral from ${i.establishmentName}: ${i.prisonerName} (${i.prisonNumber})`,
    body: lines.join('\n'),
    personalisation: {
      establishment: i.establishmentName,
      service_name: i.serviceName,
      prisoner_name: i.prisonerName,
      prison_number: i.prisonNumber,
      key_worker: i.keyWorkerName,
      key_worker_email: i.keyWorkerEmail ?? '',
      note: i.note ?? '',
      follow_up_date: followUp,
    },
  }
}
