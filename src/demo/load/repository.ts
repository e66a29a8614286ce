import { type Insertable, type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type {
  Database,
  GoodPracticeTable,
  IntegrityFlagTable,
  PrisonerTable,
  QaCalibrationTable,
  QaCommendationTable,
  QaReviewScoreTable,
  QaReviewTable,
  QaSampleTable,
  QaSettingTable,
  ResidentialUnitTable,
  StaffTable,
  SupervisionTable,
  TrainingAssignmentTable,
  TrainingAttendanceTable,
  TrainingCertificateTable,
  TrainingCompletionTable,
  TrainingCourseDayTable,
  TrainingCourseTable,
  TrainingEnrolmentTable,
  TrainingFeedbackTable,
  TrainingModuleTable,
  ReflectiveEntryTable,
  UserNoticeTable,
} from '../../platform/db/types'

// Rows per INSERT: 500 keeps the widest table (17 columns, 8,500 parameters) well inside SQLite's 32,766 and
// PostgreSQL's 65,535 bound parameters, and is large enough that round trips do not dominate.
const CHUNK_ROWS = 500
const MAX_PARAMETERS = 30_000

// Tables a reset leaves alone: the migration bookkeeping, the one-row national policies (configuration, not data:
// allocation and training) and the reference data migrations create (the pathway taxonomy).
const KEEP = new Set([
  'kysely_migration',
  'kysely_migration_lock',
  'national_policy',
  'training_policy',
  'directory_taxonomies',
  'directory_taxonomy_terms',
])

export function demoRepository(db: Kysely<Database>, dialect: Dialect) {
  /** Runs one multi-row INSERT per chunk of rows, sized so no statement has too many parameters. */
  async function inChunks<R extends object>(rows: R[], insert: (chunk: R[]) => Promise<unknown>) {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!).length
    const size = Math.max(1, Math.min(CHUNK_ROWS, Math.floor(MAX_PARAMETERS / columns)))
    for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
  }

  return {
    async establishmentCount(): Promise<number> {
      const r = await db
        .selectFrom('establishments')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },

    async existingUsernames(usernames: readonly string[]): Promise<string[]> {
      const rows = await db.selectFrom('users').select('username').where('username', 'in', usernames).execute()
      return rows.map(r => r.username)
    },

    /** Every table of the application, read from the catalogue so that tables added by later migrations go too. */
    async dataTables(trx: Kysely<Database> = db): Promise<string[]> {
      if (dialect === 'postgres') {
        const r = await sql<{
          name: string
        }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(trx)
        return r.rows.map(t => t.name).filter(name => !KEEP.has(name))
      }
      const r = await sql<{
        name: string
        sql: string | null
      }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(trx)
      // a virtual table (full-text search) is emptied through itself, never through its shadow tables
      const virtual = r.rows.filter(t => /^create\s+virtual/i.test(t.sql ?? '')).map(t => `${t.name}_`)
      return r.rows.map(t => t.name).filter(name => !KEEP.has(name) && !virtual.some(prefix => name.startsWith(prefix)))
    },

    /**
     * Deletes every row of every data table and restarts the audit chain and the ids. Inside the caller's
     * transaction: foreign keys are checked only at commit (SQLite) or truncated together (PostgreSQL).
     */
    async wipe(trx: Kysely<Database>): Promise<string[]> {
      const tables = await this.dataTables(trx)
      if (tables.length > 0) {
        if (dialect === 'postgres') {
          const list = sql.join(tables.map(t => sql.id(t)))
          await sql`truncate table ${list} restart identity cascade`.execute(trx)
        } else {
          await sql`pragma defer_foreign_keys = on`.execute(trx)
          for (const t of tables) await sql`delete from ${sql.id(t)}`.execute(trx)
          const names = sql.join(tables.map(t => sql.lit(t)))
          const hasSequence = await sql<{
            n: number
          }>`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(trx)
          if (Number(hasSequence.rows[0]?.n) > 0)
            await sql`delete from sqlite_sequence where name in (${names})`.execute(trx)
        }
      }
      return tables
    },

    async insertEstablishment(trx: Kysely<Database>, values: Insertable<Database['establishments']>) {
      const r = await trx.insertInto('establishments').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    /** Inserts the units and returns their ids by code. */
    async insertUnits(trx: Kysely<Database>, rows: Insertable<ResidentialUnitTable>[]) {
      const ids = new Map<string, number>()
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const out = await trx
          .insertInto('residential_units')
          .values(rows.slice(i, i + CHUNK_ROWS))
          .returning(['id', 'code'])
          .execute()
        for (const r of out) ids.set(r.code, r.id)
      }
      return ids
    },

    insertStaff: (trx: Kysely<Database>, rows: Insertable<StaffTable>[]) =>
      inChunks(rows, chunk => trx.insertInto('staff').values(chunk).execute()),
    insertPrisoners: (trx: Kysely<Database>, rows: Insertable<PrisonerTable>[]) =>
      inChunks(rows, chunk => trx.insertInto('prisoners').values(chunk).execute()),

    /** The establishment's prisoners' ids by prison number (after a bulk insert, which returns none). */
    async prisonerIds(trx: Kysely<Database>, establishmentId: number): Promise<Map<string, number>> {
      const rows = await trx
        .selectFrom('prisoners')
        .select(['id', 'prison_number'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      return new Map(rows.map(r => [r.prison_number, r.id]))
    },

    async linkStaffToUser(trx: Kysely<Database>, establishmentId: number, staffNumber: string, userId: number) {
      await trx
        .updateTable('staff')
        .set({ user_id: userId })
        .where('establishment_id', '=', establishmentId)
        .where('staff_number', '=', staffNumber)
        .execute()
    },

    async establishmentIds(codes: string[]): Promise<Map<string, number>> {
      if (codes.length === 0) return new Map()
      const rows = await db.selectFrom('establishments').select(['id', 'code']).where('code', 'in', codes).execute()
      return new Map(rows.map(r => [r.code, r.id]))
    },

    async counts() {
      const count = async (table: 'establishments' | 'residential_units' | 'staff' | 'prisoners') => {
        const r = await db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return Number(r.n)
      }
      return {
        establishments: await count('establishments'),
        units: await count('residential_units'),
        staff: await count('staff'),
        prisoners: await count('prisoners'),
      }
    },
  }
}

export type DemoRepository = ReturnType<typeof demoRepository>

/**
 * The demo's year of quality assurance (issue 15): reads what the history wrote and writes the QA tables in bulk,
 * inside the caller's transaction. Demo code: the features' own services write these tables one action at a time.
 */
async function chunked<R extends object>(rows: R[], insert: (chunk: R[]) => Promise<unknown>) {
  if (rows.length === 0) return
  const size = Math.max(1, Math.min(CHUNK_ROWS, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length)))
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

/** Inserts and returns each row's id with the columns that identify it, whatever order the database returns. */
async function returning<T extends keyof Database, R extends object, K extends string>(
  trx: Kysely<Database>,
  table: T,
  rows: R[],
  columns: readonly K[],
): Promise<({ id: number } & Record<K, unknown>)[]> {
  const out: ({ id: number } & Record<K, unknown>)[] = []
  await chunked(rows, async chunk => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const r = await (trx.insertInto(table) as any)
      .values(chunk)
      .returning(['id', ...columns])
      .execute()
    out.push(...(r as ({ id: number } & Record<K, unknown>)[]))
  })
  return out
}

export function demoQualityRepository(db: Kysely<Database>) {
  return {
    /** The establishment's Supervising Officers who sign in, with their staff record when linked. */
    supervisors: (establishmentId: number) =>
      db
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .leftJoin('staff', join =>
          join.onRef('staff.user_id', '=', 'users.id').on('staff.establishment_id', '=', establishmentId),
        )
        .select(['users.id as userId', 'users.display_name as name', 'staff.id as staffId'])
        .where('user_roles.role', '=', 'SUPERVISING_OFFICER')
        .where('user_roles.establishment_id', '=', establishmentId)
        .where('users.enabled', '=', 1)
        .orderBy('users.id')
        .execute(),

    /** Active Band 4 and 5 officers with no sign-in yet, who can become the demo's other Supervising Officers. */
    spareSupervisors: (establishmentId: number, n: number) =>
      db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'email'])
        .where('establishment_id', '=', establishmentId)
        .where('grade', 'in', ['Band 4', 'Band 5'])
        .where('status', '=', 'active')
        .where('user_id', 'is', null)
        .orderBy('grade')
        .orderBy('id')
        .limit(n)
        .execute(),

    /** A sign-in for a demo Supervising Officer (no password: the demo signs in only as its four users). */
    async addSupervisor(
      trx: Kysely<Database>,
      establishmentId: number,
      s: { staffId: number; username: string; name: string; email: string | null },
      now: string,
    ): Promise<number> {
      const user = await trx
        .insertInto('users')
        .values({
          username: s.username,
          display_name: s.name,
          email: s.email,
          password_hash: null,
          enabled: 1,
          created_at: now,
          last_sign_in_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('user_roles')
        .values({ user_id: user.id, establishment_id: establishmentId, role: 'SUPERVISING_OFFICER' })
        .execute()
      await trx.updateTable('staff').set({ user_id: user.id }).where('id', '=', s.staffId).execute()
      return user.id
    },

    /** The establishment's active Key Workers. */
    officers: (establishmentId: number) =>
      db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '=', 'active')
        .orderBy('id')
        .execute(),

    /** Submitted, delivered entries with an officer, with the prisoner's first name. */
    entries: (establishmentId: number) =>
      db
        .selectFrom('key_work_sessions as s')
        .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .select([
          's.id',
          's.staff_id',
          's.prisoner_id',
          'p.first_name',
          's.session_date',
          's.starts_at',
          's.duration_minutes',
          's.pathways',
          's.concern',
          's.interpreter_needed',
          's.interpreter_used',
          's.prisoner_words',
          's.agreed',
          's.author_user_id',
        ])
        .where('s.establishment_id', '=', establishmentId)
        .where('s.status', '=', 'submitted')
        .where('s.outcome', '=', 'delivered')
        .where('s.staff_id', 'is not', null)
        .orderBy('s.id')
        .execute(),

    /** Changes a few entries (the planted copies and overlaps), with their pre-check again when the text changed. */
    async changeSession(
      trx: Kysely<Database>,
      id: number,
      set: Partial<
        Record<'session_date' | 'starts_at' | 'prisoner_words' | 'agreed' | 'precheck', string | null> & {
          precheck_score: number | null
        }
      >,
    ) {
      await trx.updateTable('key_work_sessions').set(set).where('id', '=', id).execute()
    },

    /** The establishment's QA settings, unless it has some already. */
    async settings(trx: Kysely<Database>, row: Insertable<QaSettingTable>) {
      const has = await trx
        .selectFrom('qa_settings')
        .select('establishment_id')
        .where('establishment_id', '=', row.establishment_id)
        .executeTakeFirst()
      if (!has) await trx.insertInto('qa_settings').values(row).execute()
    },

    insertSamples: (trx: Kysely<Database>, rows: Insertable<QaSampleTable>[]) =>
      returning(trx, 'qa_samples', rows, ['session_id'] as const),
    insertReviews: (trx: Kysely<Database>, rows: Insertable<QaReviewTable>[]) =>
      returning(trx, 'qa_reviews', rows, ['session_id', 'kind', 'reviewer_user_id'] as const),
    insertScores: (trx: Kysely<Database>, rows: Insertable<QaReviewScoreTable>[]) =>
      chunked(rows, chunk => trx.insertInto('qa_review_scores').values(chunk).execute()),
    async insertCalibration(
      trx: Kysely<Database>,
      row: Insertable<QaCalibrationTable>,
      sessionIds: number[],
      markers: number[],
    ): Promise<number> {
      const { id } = await trx.insertInto('qa_calibrations').values(row).returning('id').executeTakeFirstOrThrow()
      await trx
        .insertInto('qa_calibration_entries')
        .values(sessionIds.map(session_id => ({ calibration_id: id, session_id })))
        .execute()
      await trx
        .insertInto('qa_calibration_markers')
        .values(markers.map(user_id => ({ calibration_id: id, user_id })))
        .execute()
      return id
    },
    insertCommendations: (trx: Kysely<Database>, rows: Insertable<QaCommendationTable>[]) =>
      chunked(rows, chunk => trx.insertInto('qa_commendations').values(chunk).execute()),
    insertGoodPractice: (trx: Kysely<Database>, rows: Insertable<GoodPracticeTable>[]) =>
      chunked(rows, chunk => trx.insertInto('good_practice').values(chunk).execute()),
    insertNotices: (trx: Kysely<Database>, rows: Insertable<UserNoticeTable>[]) =>
      chunked(rows, chunk => trx.insertInto('user_notices').values(chunk).execute()),
    insertSupervisions: (trx: Kysely<Database>, rows: Insertable<SupervisionTable>[]) =>
      chunked(rows, chunk => trx.insertInto('supervisions').values(chunk).execute()),

    /** The establishment's flags with the dates of the entries they are about, for the demo to date and resolve. */
    flags: (establishmentId: number) =>
      db
        .selectFrom('integrity_flags as f')
        .innerJoin('key_work_sessions as s', 's.id', 'f.session_id')
        .leftJoin('key_work_sessions as o', 'o.id', 'f.other_session_id')
        .select([
          'f.id',
          'f.kind',
          'f.staff_id',
          'f.session_id',
          'f.other_session_id',
          's.submitted_at',
          'o.submitted_at as other_submitted_at',
        ])
        .where('f.establishment_id', '=', establishmentId)
        .orderBy('f.id')
        .execute(),

    /** Dates a flag as raised when its later entry came in and, for some, records how an SO resolved it. */
    async dateAndResolveFlag(
      trx: Kysely<Database>,
      id: number,
      set: Pick<IntegrityFlagTable, 'raised_at'> &
        Partial<
          Pick<
            IntegrityFlagTable,
            'status' | 'outcome' | 'note' | 'resolved_by_user_id' | 'resolved_by' | 'resolved_at'
          >
        >,
    ) {
      await trx.updateTable('integrity_flags').set(set).where('id', '=', id).execute()
    },
  }
}

/** The demo's training records (issue 16): read the officers and the year's reviews, write the plan in bulk. */
export function demoTrainingRepository(db: Kysely<Database>) {
  return {
    /**
     * The establishment's Key Workers, Band 4 officers (who supervise Key Work) and the staff records of the given
     * sign-ins, not those who have left.
     */
    officers: (establishmentId: number, userIds: number[]) =>
      db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id', 'started_in_post', 'key_worker'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '<>', 'inactive')
        .where(eb =>
          eb.or([
            eb('key_worker', '=', 1),
            eb('grade', '=', 'Band 4'),
            ...(userIds.length ? [eb('user_id', 'in', userIds)] : []),
          ]),
        )
        .orderBy('id')
        .execute(),

    async userId(username: string): Promise<number | null> {
      const r = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
      return r?.id ?? null
    },

    /** The staff record of a sign-in at the establishment (the demo Key Worker's). */
    async staffOfUser(establishmentId: number, username: string): Promise<number | null> {
      const r = await db
        .selectFrom('staff')
        .innerJoin('users', 'users.id', 'staff.user_id')
        .select('staff.id')
        .where('staff.establishment_id', '=', establishmentId)
        .where('users.username', '=', username)
        .executeTakeFirst()
      return r?.id ?? null
    },

    /** The establishment's sample reviews with the reviewed entry's officer and date. */
    reviews: (establishmentId: number) =>
      db
        .selectFrom('qa_reviews as r')
        .innerJoin('key_work_sessions as s', 's.id', 'r.session_id')
        .select([
          'r.id',
          's.staff_id',
          's.session_date',
          'r.submitted_at',
          'r.overall_score',
          'r.reviewer_user_id',
          'r.reviewer',
        ])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.kind', '=', 'sample')
        .where('s.staff_id', 'is not', null)
        .orderBy('r.id')
        .execute(),

    async setStartedInPost(trx: Kysely<Database>, staffId: number, day: string, now: string) {
      await trx.updateTable('staff').set({ started_in_post: day, updated_at: now }).where('id', '=', staffId).execute()
    },

    async insertModule(trx: Kysely<Database>, row: Insertable<TrainingModuleTable>): Promise<number> {
      return (await trx.insertInto('training_modules').values(row).returning('id').executeTakeFirstOrThrow()).id
    },
    async insertCourse(trx: Kysely<Database>, row: Insertable<TrainingCourseTable>): Promise<number> {
      return (await trx.insertInto('training_courses').values(row).returning('id').executeTakeFirstOrThrow()).id
    },
    insertCourseDays: (trx: Kysely<Database>, rows: Insertable<TrainingCourseDayTable>[]) =>
      chunked(rows, chunk => trx.insertInto('training_course_days').values(chunk).execute()),
    insertEnrolments: (trx: Kysely<Database>, rows: Insertable<TrainingEnrolmentTable>[]) =>
      chunked(rows, chunk => trx.insertInto('training_enrolments').values(chunk).execute()),
    insertAttendance: (trx: Kysely<Database>, rows: Insertable<TrainingAttendanceTable>[]) =>
      chunked(rows, chunk => trx.insertInto('training_attendance').values(chunk).execute()),
    insertFeedback: (trx: Kysely<Database>, rows: Insertable<TrainingFeedbackTable>[]) =>
      chunked(rows, chunk => trx.insertInto('training_feedback').values(chunk).execute()),
    insertCompletions: (trx: Kysely<Database>, rows: Insertable<TrainingCompletionTable>[]) =>
      returning(trx, 'training_completions', rows, ['staff_id', 'module_code', 'completed_on'] as const),
    insertCertificates: (trx: Kysely<Database>, rows: Insertable<TrainingCertificateTable>[]) =>
      returning(trx, 'training_certificates', rows, ['code'] as const),
    insertJournal: (trx: Kysely<Database>, rows: Insertable<ReflectiveEntryTable>[]) =>
      chunked(rows, chunk => trx.insertInto('reflective_entries').values(chunk).execute()),
    insertAssignments: (trx: Kysely<Database>, rows: Insertable<TrainingAssignmentTable>[]) =>
      chunked(rows, chunk => trx.insertInto('training_assignments').values(chunk).execute()),
  }
}
