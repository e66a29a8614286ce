import { type Kysely, sql } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type Result, fail, ok } from '../../domain/result'
import { todayIso } from '../../domain/dates'
import { dueForAnonymising, pseudonymousNumber, retentionCutoff } from '../../domain/retention'
import { type SubjectData, gatherSubject, retentionCandidates } from './repository'
import type { RetentionInput } from './schema'

/** The sections of a subject access request export, in order, with the heading each has in the PDF and on the page. */
export const SAR_SECTIONS: readonly (readonly [key: keyof SubjectData, heading: string])[] = [
  ['prisonerRecords', 'Prisoner records'],
  ['custodyEvents', 'Custody events'],
  ['custodySpells', 'Custody spells'],
  ['allocations', 'Key Worker allocations'],
  ['sessions', 'Key work sessions'],
  ['amendments', 'Amendments to sessions'],
  ['goals', 'Goals'],
  ['goalReviews', 'Goal reviews'],
  ['referrals', 'Referrals'],
  ['hubBookings', 'Hub bookings'],
  ['worksheets', 'Worksheets used in sessions'],
  ['qaReviews', 'Quality reviews of his entries'],
  ['integrityFlags', 'Integrity flags on his entries'],
  ['goodPractice', 'Good-practice nominations of his entries'],
  ['transferHandovers', 'Transfer handovers shared about him'],
  ['transferHandoverItems', 'Items shared in transfer handovers'],
  ['caseNotesSent', 'Case notes sent to HMPPS about him'],
  ['movementEvents', 'Movement events received from HMPPS about him'],
  ['views', 'Who viewed his record'],
]

export const SAR_FORMAT = 'keywork-subject-access-request'
export const SAR_VERSION = 1

const ANONYMISED = 'Anonymised'
const ANONYMISED_DOB = '1900-01-01'

export function dataProtectionService(db: Kysely<Database>, deps: { audit: AuditService }) {
  const { audit } = deps

  const settings = (exec: Kysely<Database> = db) =>
    exec.selectFrom('retention_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()

  /** What the rule would anonymise today: each man due, his records, counted per establishment. */
  async function plan(exec: Kysely<Database>, today: string) {
    const st = await settings(exec)
    const cutoff = retentionCutoff(today, st.years_after_release)
    const records = await retentionCandidates(exec, cutoff)
    const byNumber = new Map<string, typeof records>()
    for (const r of records) byNumber.set(r.prison_number, [...(byNumber.get(r.prison_number) ?? []), r])
    const due = [...byNumber.values()].filter(rs => dueForAnonymising(rs, cutoff))
    const perEstablishment = new Map<string, number>()
    for (const r of due.flat()) perEstablishment.set(r.establishment, (perEstablishment.get(r.establishment) ?? 0) + 1)
    return {
      years: st.years_after_release,
      cutoff,
      men: due.length,
      records: due.reduce((n, rs) => n + rs.length, 0),
      perEstablishment: [...perEstablishment.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([establishment, records]) => ({ establishment, records })),
      due,
    }
  }

  return {
    /** Everything held about him, or null when no record of that prison number exists in any establishment. */
    async subject(prisonNumber: string): Promise<SubjectData | null> {
      const data = await gatherSubject(db, prisonNumber)
      return data.prisonerRecords.length ? data : null
    },

    /** The request itself, audited: who asked, for whom (refused when he is not known: nothing recorded). */
    async request(actor: Actor, prisonNumber: string): Promise<Result<void>> {
      const found = await db
        .selectFrom('prisoners')
        .select('id')
        .where('prison_number', '=', prisonNumber)
        .executeTakeFirst()
      if (!found) return fail({ prisonNumber: `No record of ${prisonNumber} is held in any establishment` })
      await db
        .transaction()
        .execute(trx =>
          audit.record(trx, actor, { action: 'create', entity: 'subject_access_request', entityId: prisonNumber }),
        )
      return ok()
    },

    settings: () => settings(),

    async updateSettings(actor: Actor, input: RetentionInput): Promise<Result<void>> {
      await db.transaction().execute(async trx => {
        const before = await trx
          .selectFrom('retention_settings')
          .select('years_after_release')
          .where('id', '=', 1)
          .executeTakeFirstOrThrow()
        await trx
          .updateTable('retention_settings')
          .set({
            years_after_release: input.years,
            updated_at: new Date().toISOString(),
            updated_by: actor.username ?? 'unknown',
          })
          .where('id', '=', 1)
          .execute()
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'retention_settings',
          entityId: 1,
          establishmentId: null,
          changes: { years_after_release: { from: before.years_after_release, to: input.years } },
        })
      })
      return ok()
    },

    /** The dry run: what a run today would change, counted, changing nothing. */
    async dryRun(today = todayIso()) {
      const { due: _due, ...counts } = await plan(db, today)
      return counts
    },

    /**
     * Anonymises every man due under the rule, in one transaction: names, date of birth, cell and prison number of
     * each of his records replaced, and the free text of his sessions, goals, reviews, referrals, allocations, transfer
     * handovers, the quality reviews of his entries and the case notes queued about him cleared (his first language and
     * nationality stay: the interpreter statistics count them, and alone they identify nobody). Rows and their dates, outcomes and durations stay, so counts and statistics stay true. One audit event
     * per run that changed something, with counts only. A second run finds nothing.
     */
    async run(actor: Actor, today = todayIso()) {
      return db.transaction().execute(async trx => {
        const p = await plan(trx, today)
        const at = new Date().toISOString()
        for (const records of p.due) {
          const ids = records.map(r => r.id)
          const pseudonym = pseudonymousNumber(Math.min(...ids))
          const number = records[0]!.prison_number
          await trx
            .updateTable('prisoners')
            .set({
              first_name: ANONYMISED,
              last_name: ANONYMISED,
              date_of_birth: ANONYMISED_DOB,
              cell: null,
              prison_number: pseudonym,
              updated_at: at,
            })
            .where('id', 'in', ids)
            .execute()
          await trx
            .updateTable('custody_events')
            .set({ prison_number: pseudonym })
            .where(eb => eb.or([eb('prison_number', '=', number), eb('prisoner_id', 'in', ids)]))
            .execute()
          await trx
            .updateTable('key_work_sessions')
            .set({
              prisoner_words: null,
              agreed: null,
              not_delivered_detail: null,
              concern_escalated_to: null,
              interpreter_booking_ref: null,
              deleted_reason: null,
              draft_form: null,
            })
            .where('prisoner_id', 'in', ids)
            .execute()
          const sessionIds = trx.selectFrom('key_work_sessions').select('id').where('prisoner_id', 'in', ids)
          await trx
            .updateTable('session_amendments')
            .set({ reason: ANONYMISED, changes: '{}' })
            .where('session_id', 'in', sessionIds)
            .execute()
          await trx
            .updateTable('session_goals')
            .set({ description: ANONYMISED, measure: ANONYMISED })
            .where('prisoner_id', 'in', ids)
            .execute()
          await trx
            .updateTable('goal_reviews')
            .set({ note: null })
            .where('goal_id', 'in', trx.selectFrom('session_goals').select('id').where('prisoner_id', 'in', ids))
            .execute()
          await trx.updateTable('referrals').set({ note: null }).where('prisoner_id', 'in', ids).execute()
          await trx
            .updateTable('allocations')
            .set({ handover_note: null, deallocation_note: null })
            .where('prisoner_id', 'in', ids)
            .execute()
          // what a sending establishment shared about him when he moved: its copy of his free text goes too
          const handoverIds = trx.selectFrom('transfer_handovers').select('id').where('prisoner_id', 'in', ids)
          await trx
            .updateTable('transfer_handover_items')
            .set({ text: ANONYMISED, detail: null })
            .where('handover_id', 'in', handoverIds)
            .execute()
          await trx
            .updateTable('transfer_handovers')
            .set({ note: null, prison_number: pseudonym })
            .where('prisoner_id', 'in', ids)
            .execute()
          // quality reviews of his entries: the reviewer's words about them may quote him; scores and dates stay
          await trx
            .updateTable('qa_reviews')
            .set({ feedback_good: ANONYMISED, feedback_change: ANONYMISED, reply: null })
            .where('session_id', 'in', sessionIds)
            .execute()
          await trx
            .updateTable('qa_review_scores')
            .set({ comment: null })
            .where('review_id', 'in', trx.selectFrom('qa_reviews').select('id').where('session_id', 'in', sessionIds))
            .execute()
          await trx.updateTable('integrity_flags').set({ note: null }).where('session_id', 'in', sessionIds).execute()
          // what was sent to, or heard from, the HMPPS systems about him: his number goes, and a note's text not sent
          await trx
            .updateTable('case_note_outbox')
            .set({ prison_number: pseudonym, payload: '' })
            .where('session_id', 'in', sessionIds)
            .execute()
          await trx
            .updateTable('hmpps_events')
            .set(eb => ({
              prison_number: pseudonym,
              event_key: sql<string>`'anonymised:' || cast(${eb.ref('id')} as text)`,
            }))
            .where('prison_number', '=', number)
            .execute()
          await trx
            .insertInto('retention_anonymised')
            .values(records.map(r => ({ prisoner_id: r.id, establishment_id: r.establishment_id, anonymised_at: at })))
            .execute()
        }
        if (p.men > 0)
          await audit.record(trx, actor, {
            action: 'anonymise',
            entity: 'retention_run',
            establishmentId: null,
            changes: {
              years: p.years,
              cutoff: p.cutoff,
              men: p.men,
              records: p.records,
              perEstablishment: p.perEstablishment,
            },
          })
        return {
          years: p.years,
          cutoff: p.cutoff,
          men: p.men,
          records: p.records,
          perEstablishment: p.perEstablishment,
        }
      })
    },
  }
}

export type DataProtectionService = ReturnType<typeof dataProtectionService>
