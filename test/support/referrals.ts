import type { Kysely } from 'kysely'
import type { Database } from '../../src/platform/db/types'

/**
 * Test and fixture helpers: a minimal submitted session and a referral made in it, written straight to the
 * tables (the session form lives in src/features/sessions; these only need rows to point routes at).
 */

export interface SessionSeed {
  establishmentId: number
  prisonerId: number
  staffId: number | null
  author: string
  sessionDate: string
  startsAt?: string
  outcome?: 'delivered' | 'not_delivered'
  notDeliveredReason?: string | null
  agreed?: string | null
  prisonerWords?: string | null
  pathways?: string
  status?: 'submitted' | 'draft' | 'deleted'
  deletedBy?: string | null
  deletedReason?: string | null
}

export async function insertSession(db: Kysely<Database>, s: SessionSeed): Promise<number> {
  const now = new Date().toISOString()
  const status = s.status ?? 'submitted'
  const r = await db
    .insertInto('key_work_sessions')
    .values({
      establishment_id: s.establishmentId,
      prisoner_id: s.prisonerId,
      staff_id: s.staffId,
      author_user_id: null,
      author: s.author,
      status,
      on_caseload: 1,
      outcome: s.outcome ?? 'delivered',
      not_delivered_reason: s.notDeliveredReason ?? null,
      not_delivered_detail: null,
      session_date: s.sessionDate,
      starts_at: s.startsAt ?? '10:00',
      duration_minutes: 45,
      location: 'hub_room',
      hub_booking_id: null,
      private: 1,
      interpreter_needed: 0,
      interpreter_used: 0,
      interpreter_service: null,
      interpreter_booking_ref: null,
      interpreter_language: null,
      interpreter_why_not: null,
      pathways: s.pathways ?? 'accommodation',
      concern: 0,
      concern_escalated_to: null,
      prisoner_words: s.prisonerWords ?? null,
      agreed: s.agreed ?? null,
      client_key: null,
      created_at: now,
      updated_at: now,
      submitted_at: status === 'draft' ? null : now,
      deleted_at: status === 'deleted' ? now : null,
      deleted_by: status === 'deleted' ? (s.deletedBy ?? null) : null,
      deleted_reason: status === 'deleted' ? (s.deletedReason ?? null) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export interface ReferralSeed {
  establishmentId: number
  prisonerId: number
  sessionId: number
  serviceId?: string | null
  stakeholder?: string | null
  note?: string | null
  status?: string
  followUpDate?: string | null
  createdBy: string
}

export async function insertReferral(db: Kysely<Database>, r: ReferralSeed): Promise<number> {
  const now = new Date().toISOString()
  const row = await db
    .insertInto('referrals')
    .values({
      establishment_id: r.establishmentId,
      prisoner_id: r.prisonerId,
      session_id: r.sessionId,
      service_id: r.serviceId ?? null,
      stakeholder: r.serviceId ? null : (r.stakeholder ?? 'pom'),
      note: r.note ?? null,
      status: r.status ?? 'sent',
      follow_up_date: r.followUpDate ?? null,
      created_at: now,
      created_by: r.createdBy,
      updated_at: now,
      updated_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertGoal(
  db: Kysely<Database>,
  g: { establishmentId: number; prisonerId: number; sessionId: number; description: string; status?: string },
): Promise<number> {
  const now = new Date().toISOString()
  const row = await db
    .insertInto('session_goals')
    .values({
      establishment_id: g.establishmentId,
      prisoner_id: g.prisonerId,
      set_in_session_id: g.sessionId,
      description: g.description,
      measure: 'Checked at the next session',
      target_date: null,
      status: g.status ?? 'open',
      updated_in_session_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertGoalReview(
  db: Kysely<Database>,
  r: { goalId: number; sessionId: number; status: string; note?: string | null },
) {
  await db
    .insertInto('goal_reviews')
    .values({ goal_id: r.goalId, session_id: r.sessionId, status: r.status, note: r.note ?? null })
    .execute()
  await db
    .updateTable('session_goals')
    .set({ status: r.status, updated_in_session_id: r.sessionId })
    .where('id', '=', r.goalId)
    .execute()
}

export async function insertAmendment(
  db: Kysely<Database>,
  a: { sessionId: number; by: string; reason: string; changes: Record<string, { from: unknown; to: unknown }> },
) {
  await db
    .insertInto('session_amendments')
    .values({
      session_id: a.sessionId,
      amended_at: new Date().toISOString(),
      amended_by: a.by,
      reason: a.reason,
      changes: JSON.stringify(a.changes),
    })
    .execute()
}
