import type { Insertable, Kysely } from 'kysely'
import type { Database, TrainingAssignmentTable, TrainingReminderTable } from '../../platform/db/types'

/**
 * Reminders sent (training_reminders) and modules assigned to officers (training_assignments), with what the daily
 * job reads: each establishment's Key Workers, their completions and journal minutes (one query each per
 * establishment), and its Supervising Officers. Every query of an establishment's rows is scoped by establishment.
 */
/** Rows a statement: 8 values each, well within SQLite's 32,766 parameters. */
const REMINDER_BATCH = 500

/** A reminder's unique key as one string. */
export const reminderKey = (r: { staff_id: number; subject: string; kind: string; about_date: string }) =>
  `${r.staff_id}|${r.subject}|${r.kind}|${r.about_date}`

export function trainingRemindersRepository(db: Kysely<Database>) {
  const assignmentColumns = [
    'a.id',
    'a.establishment_id',
    'a.staff_id',
    'a.module_code',
    'a.review_id',
    'a.reason',
    'a.due_on',
    'a.assigned_at',
    'a.assigned_by',
    'a.assigned_by_user_id',
    'a.cancelled_at',
  ] as const

  return {
    establishments() {
      return db.selectFrom('establishments').select(['id', 'code', 'name']).orderBy('id').execute()
    },

    /** The establishment's Key Workers who are not inactive (have not left), with the email and user to tell them by. */
    keyWorkers(establishmentId: number) {
      return db
        .selectFrom('staff as st')
        .leftJoin('users as u', 'u.id', 'st.user_id')
        .select([
          'st.id',
          'st.first_name',
          'st.last_name',
          'st.started_in_post',
          'st.user_id',
          'st.email as staff_email',
          'u.email as user_email',
          'u.enabled',
        ])
        .where('st.establishment_id', '=', establishmentId)
        .where('st.key_worker', '=', 1)
        .where('st.status', '!=', 'inactive')
        .orderBy('st.last_name')
        .orderBy('st.first_name')
        .orderBy('st.id')
        .execute()
    },

    /** One member of staff of the establishment (any status), or undefined. */
    staff(establishmentId: number, staffId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('staff as st')
        .leftJoin('users as u', 'u.id', 'st.user_id')
        .select([
          'st.id',
          'st.first_name',
          'st.last_name',
          'st.user_id',
          'st.status',
          'st.email as staff_email',
          'u.email as user_email',
        ])
        .where('st.establishment_id', '=', establishmentId)
        .where('st.id', '=', staffId)
        .executeTakeFirst()
    },

    /** The establishment's Key Workers who have not left, for a choice of officer. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '!=', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },

    /** The non-voided completions of the establishment's staff (one query for the whole establishment). */
    completionsOf(establishmentId: number) {
      return db
        .selectFrom('training_completions')
        .select(['staff_id', 'module_code', 'kind', 'completed_on', 'hours', 'outcome'])
        .where('establishment_id', '=', establishmentId)
        .where('voided_at', 'is', null)
        .orderBy('staff_id')
        .orderBy('completed_on')
        .execute()
    },

    /** The non-voided completions of some staff (an officer's assignments: which are met). */
    completionsOfStaff(staffIds: number[]) {
      if (!staffIds.length) return Promise.resolve([])
      return db
        .selectFrom('training_completions')
        .select(['staff_id', 'module_code', 'completed_on', 'outcome'])
        .where('staff_id', 'in', staffIds)
        .where('voided_at', 'is', null)
        .execute()
    },

    /** Journal minutes of the establishment's staff written from a date on (one query for the establishment). */
    journalOf(establishmentId: number, from: string, to: string) {
      return db
        .selectFrom('reflective_entries')
        .select(['staff_id', 'written_on', 'minutes'])
        .where('establishment_id', '=', establishmentId)
        .where('written_on', '>=', from)
        .where('written_on', '<=', to)
        .where('minutes', '>', 0)
        .execute()
    },

    /** The establishment's Supervising Officers with an account that is enabled. */
    supervisingOfficers(establishmentId: number) {
      return db
        .selectFrom('user_roles as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['u.id', 'u.display_name', 'u.email'])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.role', '=', 'SUPERVISING_OFFICER')
        .where('u.enabled', '=', 1)
        .distinct()
        .orderBy('u.id')
        .execute()
    },

    /** The reminders already recorded for the establishment's staff, as keys (staff, subject, kind, date). */
    async reminderKeys(establishmentId: number, trx: Kysely<Database> = db): Promise<Set<string>> {
      const rows = await trx
        .selectFrom('training_reminders')
        .select(['staff_id', 'subject', 'kind', 'about_date'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      return new Set(rows.map(r => reminderKey(r)))
    },

    /**
     * Records reminders, skipping any recorded before (the unique key: on PostgreSQL a failed statement would abort
     * the transaction, so a conflict is skipped, never raised); gives the keys of those this call recorded.
     */
    async insertReminders(trx: Kysely<Database>, rows: Insertable<TrainingReminderTable>[]): Promise<Set<string>> {
      const inserted = new Set<string>()
      for (let i = 0; i < rows.length; i += REMINDER_BATCH) {
        const got = await trx
          .insertInto('training_reminders')
          .values(rows.slice(i, i + REMINDER_BATCH))
          .onConflict(oc => oc.columns(['staff_id', 'subject', 'kind', 'about_date']).doNothing())
          .returning(['staff_id', 'subject', 'kind', 'about_date'])
          .execute()
        for (const r of got) inserted.add(reminderKey(r))
      }
      return inserted
    },

    /** Titles of module codes as the establishment sees them: its local module, else the newest published one. */
    async moduleTitles(codes: string[], establishmentId: number): Promise<Map<string, string>> {
      const titles = new Map<string, string>()
      if (!codes.length) return titles
      const rows = await db
        .selectFrom('training_modules as m')
        .leftJoin('training_programme_versions as v', 'v.id', 'm.programme_version_id')
        .select(['m.code', 'm.title', 'm.establishment_id', 'v.version'])
        .where('m.code', 'in', [...new Set(codes)])
        .where(eb =>
          eb.or([
            eb('m.establishment_id', '=', establishmentId),
            eb.and([eb('m.programme_version_id', 'is not', null), eb('v.status', '=', 'published')]),
          ]),
        )
        .orderBy('v.version')
        .execute()
      // national by version ascending, then the local one wins
      for (const r of rows) if (r.establishment_id === null) titles.set(r.code, r.title)
      for (const r of rows) if (r.establishment_id !== null) titles.set(r.code, r.title)
      return titles
    },

    /** An officer's assignments that are not cancelled, oldest due first. */
    assignmentsOfStaff(staffId: number, establishmentId?: number) {
      let q = db
        .selectFrom('training_assignments as a')
        .select([...assignmentColumns])
        .where('a.staff_id', '=', staffId)
        .where('a.cancelled_at', 'is', null)
      if (establishmentId !== undefined) q = q.where('a.establishment_id', '=', establishmentId)
      return q.orderBy('a.due_on').orderBy('a.id').execute()
    },

    /** The establishment's assignments (cancelled ones too), with the officer's name, newest first. */
    assignmentsOf(establishmentId: number) {
      return db
        .selectFrom('training_assignments as a')
        .innerJoin('staff as st', 'st.id', 'a.staff_id')
        .select([...assignmentColumns, 'st.first_name', 'st.last_name'])
        .where('a.establishment_id', '=', establishmentId)
        .orderBy('a.assigned_at', 'desc')
        .orderBy('a.id', 'desc')
        .execute()
    },

    /** The establishment's open assignments (for the daily job). */
    openAssignmentsOf(establishmentId: number) {
      return db
        .selectFrom('training_assignments as a')
        .select([...assignmentColumns])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.cancelled_at', 'is', null)
        .execute()
    },

    assignment(establishmentId: number, id: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('training_assignments as a')
        .select([...assignmentColumns])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.id', '=', id)
        .executeTakeFirst()
    },

    async insertAssignment(trx: Kysely<Database>, row: Insertable<TrainingAssignmentTable>) {
      const r = await trx.insertInto('training_assignments').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    /** Cancels an open assignment of the establishment; false when there was none open. */
    async cancelAssignment(trx: Kysely<Database>, establishmentId: number, id: number, at: string) {
      const r = await trx
        .updateTable('training_assignments')
        .set({ cancelled_at: at })
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },
  }
}

export type TrainingRemindersRepository = ReturnType<typeof trainingRemindersRepository>
