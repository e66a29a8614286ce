import { after } from 'node:test'
import type { Kysely } from 'kysely'
import { SYSTEM_ACTOR } from '../../src/platform/audit/service'
import type { Database } from '../../src/platform/db/types'
import { prisonerRecordSchema } from '../../src/features/prisoners/schema'
import { staffRecordSchema } from '../../src/features/staff/schema'
import type { Services } from '../../src/services'
import { testWorld } from '../harness'

/**
 * Test helpers for the quality dashboard and calibration: rows written straight to the quality tables (reviews,
 * flags, commendations, supervisions, a calibration exercise) where the feature that writes them is another's.
 */

const at = () => new Date().toISOString()

/** The quality tests' world: testWorld() (MDI and LEI) closed after the file's tests, with its handles. */
export async function qualityWorld() {
  const world = await testWorld()
  after(() => world.close())
  const s = world.services
  return { world, s, db: s.db.db, MDI: world.est.MDI!, LEI: world.est.LEI! }
}

export const actor = (establishmentId: number) => ({ ...SYSTEM_ACTOR, establishmentId })
export const must = <T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

/** An active full-time Band 3 officer through the staff service: their staff id. */
export async function addOfficer(
  s: Services,
  est: number,
  o: { staffNumber: string; firstName: string; lastName: string; homeUnit: string },
): Promise<number> {
  return must(
    await s.staff.create(
      actor(est),
      est,
      staffRecordSchema.parse({
        staffNumber: o.staffNumber,
        firstName: o.firstName,
        lastName: o.lastName,
        grade: 'Band 3',
        workingPattern: 'full_time',
        startedInPost: '2023-04-01',
        languages: 'English',
        status: 'active',
        homeUnit: o.homeUnit,
      }),
    ),
  )
}

/** A prisoner in the unit through the prisoners service: their id. */
export async function addPrisoner(
  s: Services,
  est: number,
  p: { prisonNumber: string; lastName: string; unit: string },
): Promise<number> {
  must(
    await s.prisoners.create(
      actor(est),
      est,
      prisonerRecordSchema.parse({
        prisonNumber: p.prisonNumber,
        firstName: 'Test',
        lastName: p.lastName,
        dateOfBirth: '1990-01-01',
        unit: p.unit,
        cell: `${p.unit}-1-001`,
        receptionDate: '2024-01-10',
        releaseDate: '',
        status: 'in',
        complexity: 'low',
        firstLanguage: 'en',
        interpreterNeeded: 'no',
        nationality: 'British',
      }),
    ),
  )
  return Number((await s.prisoners.get(est, p.prisonNumber))!.id)
}

export async function userIdOf(db: Kysely<Database>, username: string): Promise<number> {
  const r = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  return Number(r.id)
}

/** An open calibration exercise of an establishment (null: national) over the entries, with the markers. */
export async function insertCalibration(
  db: Kysely<Database>,
  c: {
    establishmentId: number | null
    rubricVersionId: number
    title?: string
    sessionIds: number[]
    markerIds: number[]
  },
): Promise<number> {
  const { id } = await db
    .insertInto('qa_calibrations')
    .values({
      establishment_id: c.establishmentId,
      title: c.title ?? 'Fixture exercise',
      rubric_version_id: c.rubricVersionId,
      status: 'open',
      due_on: null,
      created_at: at(),
      created_by_user_id: null,
      created_by: 'fixture',
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const calibrationId = Number(id)
  if (c.sessionIds.length)
    await db
      .insertInto('qa_calibration_entries')
      .values(c.sessionIds.map(session_id => ({ calibration_id: calibrationId, session_id })))
      .execute()
  if (c.markerIds.length)
    await db
      .insertInto('qa_calibration_markers')
      .values(c.markerIds.map(user_id => ({ calibration_id: calibrationId, user_id })))
      .execute()
  return calibrationId
}

/** A sampled or chosen review with its criterion scores. */
export async function insertReview(
  db: Kysely<Database>,
  r: {
    establishmentId: number
    sessionId: number
    reviewerUserId: number
    rubricVersionId: number
    overall: number
    kind?: 'sample' | 'chosen' | 'calibration'
    calibrationId?: number
    scores?: { criterionId: number; score: number | null }[]
    submittedAt?: string
  },
): Promise<number> {
  const when = r.submittedAt ?? at()
  const { id } = await db
    .insertInto('qa_reviews')
    .values({
      establishment_id: r.establishmentId,
      session_id: r.sessionId,
      kind: r.kind ?? 'chosen',
      sample_id: null,
      calibration_id: r.calibrationId ?? null,
      reviewer_user_id: r.reviewerUserId,
      reviewer: 'fixture',
      rubric_version_id: r.rubricVersionId,
      overall_score: r.overall,
      feedback_good: 'Good',
      feedback_change: 'Change',
      officer_user_id: null,
      submitted_at: when,
      updated_at: when,
      read_at: null,
      acknowledged_at: null,
      reply: null,
      replied_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (r.scores?.length)
    await db
      .insertInto('qa_review_scores')
      .values(
        r.scores.map(s => ({ review_id: Number(id), criterion_id: s.criterionId, score: s.score, comment: null })),
      )
      .execute()
  return Number(id)
}

export async function insertFlag(
  db: Kysely<Database>,
  f: {
    establishmentId: number
    sessionId: number
    staffId: number | null
    key: string
    raisedAt: string
    resolvedAt?: string
  },
) {
  await db
    .insertInto('integrity_flags')
    .values({
      establishment_id: f.establishmentId,
      kind: 'thin',
      flag_key: f.key,
      session_id: f.sessionId,
      other_session_id: null,
      staff_id: f.staffId,
      similarity: null,
      evidence: '{}',
      raised_at: f.raisedAt,
      status: f.resolvedAt ? 'resolved' : 'open',
      outcome: f.resolvedAt ? 'no_concern' : null,
      note: f.resolvedAt ? 'Checked' : null,
      resolved_by_user_id: null,
      resolved_by: f.resolvedAt ? 'fixture' : null,
      resolved_at: f.resolvedAt ?? null,
    })
    .execute()
}

export async function insertCommendation(
  db: Kysely<Database>,
  c: { establishmentId: number; sessionId: number | null; staffId: number; byUserId: number; createdAt: string },
) {
  await db
    .insertInto('qa_commendations')
    .values({
      establishment_id: c.establishmentId,
      session_id: c.sessionId,
      staff_id: c.staffId,
      officer_user_id: null,
      text: 'Well done',
      by_user_id: c.byUserId,
      by_name: 'fixture',
      created_at: c.createdAt,
      seen_at: null,
    })
    .execute()
}

export async function insertSupervision(
  db: Kysely<Database>,
  s: { establishmentId: number; staffId: number; supervisorUserId: number; heldOn: string },
) {
  await db
    .insertInto('supervisions')
    .values({
      establishment_id: s.establishmentId,
      staff_id: s.staffId,
      supervisor_user_id: s.supervisorUserId,
      supervisor: 'fixture',
      held_on: s.heldOn,
      topics: 'Caseload',
      agreed: 'Carry on',
      next_due_on: null,
      created_at: at(),
      updated_at: at(),
      updated_by: 'fixture',
    })
    .execute()
}
