// Commendations: a Supervising Officer commends an officer, or one of their entries.
// Invariants:
// - the entry or officer is of the establishment (another's is not found), an entry only once submitted;
//   nobody commends themselves;
// - the commendation, the notice to the officer and the audit event are one transaction; the email follows it.
import { formatDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor } from '../../platform/audit/service'
import { type QaContext, REVIEWS_SHOWN, personName, stamp, trimmed } from './context'
import { FEEDBACK_MAX } from './reviewRules'

export function qaCommendations({ db, repo, audit, notices, email, officerAddress }: QaContext) {
  /** What the commendation form is about: an entry or an officer of the establishment; null if neither. */
  async function commendTarget(establishmentId: number, by: { sessionId: number } | { staffId: number }) {
    if ('sessionId' in by) {
      const e = await repo.entry(establishmentId, by.sessionId)
      if (!e || e.status !== 'submitted') return null
      // the officer the entry is for; else the staff record of the user who wrote it
      const staffId =
        e.staff_id ??
        (e.author_user_id === null ? undefined : (await repo.staffOfUser(establishmentId, e.author_user_id))[0]?.id)
      if (staffId === undefined) return null
      return {
        kind: 'entry' as const,
        entry: e,
        staffId,
        officerUserId: e.author_user_id ?? e.staff_user_id ?? null,
        officer: personName(e.staff_first_name, e.staff_last_name, e.author_name ?? e.author),
        email: e.staff_email,
      }
    }
    const st = await repo.staffMember(establishmentId, by.staffId)
    if (!st) return null
    return {
      kind: 'officer' as const,
      entry: null,
      staffId: st.id,
      officerUserId: st.user_id,
      officer: personName(st.first_name, st.last_name),
      email: st.user_email || st.email,
    }
  }

  return {
    commendTarget,

    /** The establishment's commendations, newest first. */
    commendations: (establishmentId: number) => repo.commendations(establishmentId, REVIEWS_SHOWN),

    /** The establishment's Key Workers, to choose one to commend. */
    officers: (establishmentId: number) => repo.officers(establishmentId),

    /** An SO commends an entry or an officer: saved and audited, the officer told in the service and by email. */
    async commend(
      actor: Actor & { userId: number },
      establishmentId: number,
      by: { sessionId: number } | { staffId: number },
      text: string,
    ): Promise<Result<{ commendationId: number }>> {
      const target = await commendTarget(establishmentId, by)
      if (!target) return fail({ form: 'There is no such entry or officer in this establishment' })
      if (target.officerUserId === actor.userId) return fail({ form: 'You cannot commend yourself' })
      const body = trimmed(text)
      if (!body) return fail({ text: 'Enter what you are commending' })
      if (body.length > FEEDBACK_MAX)
        return fail({ text: `The commendation must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer` })
      const at = stamp()
      const id = await db.transaction().execute(async trx => {
        const cid = await repo.insertCommendation(trx, {
          establishment_id: establishmentId,
          session_id: target.entry?.id ?? null,
          staff_id: target.staffId,
          officer_user_id: target.officerUserId,
          text: body,
          by_user_id: actor.userId,
          by_name: actor.username ?? 'unknown',
          created_at: at,
          seen_at: null,
        })
        if (target.officerUserId !== null)
          await notices.tell(trx, {
            userId: target.officerUserId,
            establishmentId,
            kind: 'commendation',
            message: target.entry
              ? `${actor.username ?? 'A Supervising Officer'} commended your entry of ${formatDate(target.entry.session_date)}`
              : `${actor.username ?? 'A Supervising Officer'} commended your key work`,
            link: '/my-feedback',
          })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'qa_commendation',
          entityId: cid,
          establishmentId,
          changes: { session_id: target.entry?.id ?? null, staff_id: target.staffId, text: body },
        })
        return cid
      })
      const to = await officerAddress(target.officerUserId, target.email)
      if (to)
        await email(actor, {
          establishmentId,
          to,
          template: 'commendation',
          reference: `commendation-${id}`,
          subject: 'You have been commended for your key work',
          body:
            `${actor.username ?? 'A Supervising Officer'} has commended ` +
            (target.entry ? `your key work entry of ${formatDate(target.entry.session_date)}` : 'your key work') +
            `:\n\n${body}\n\nSign in to Key Work and open Feedback to see it.`,
        })
      return ok({ commendationId: id })
    },
  }
}
