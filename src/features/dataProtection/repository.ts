import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

type Db = Kysely<Database>

/** Lists of ids for `in (...)`, in chunks small enough for either engine. */
function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

async function inChunks<T, R>(ids: readonly T[], q: (ids: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (const c of chunks(ids)) out.push(...(await q(c)))
  return out
}

/**
 * Everything keywork holds about one man, found by his prison number, in every establishment (a subject access
 * request is national: it reads across establishments on purpose, for the national team only).
 */
export async function gatherSubject(db: Db, prisonNumber: string) {
  const prisonerRecords = await db
    .selectFrom('prisoners as p')
    .innerJoin('establishments as e', 'e.id', 'p.establishment_id')
    .leftJoin('residential_units as u', 'u.id', 'p.unit_id')
    .select([
      'p.id',
      'p.prison_number',
      'p.first_name',
      'p.last_name',
      'p.date_of_birth',
      'e.name as establishment',
      'u.name as unit',
      'p.cell',
      'p.reception_date',
      'p.release_date',
      'p.status',
      'p.complexity',
      'p.first_language',
      'p.interpreter_needed',
      'p.nationality',
      'p.created_at',
      'p.updated_at',
    ])
    .where('p.prison_number', '=', prisonNumber)
    .orderBy('p.id')
    .execute()
  const ids = prisonerRecords.map(p => p.id)

  const custodyEvents = await db
    .selectFrom('custody_events as c')
    .innerJoin('establishments as e', 'e.id', 'c.establishment_id')
    .leftJoin('establishments as f', 'f.id', 'c.from_establishment_id')
    .select([
      'c.id',
      'c.prisoner_id',
      'c.kind',
      'c.date',
      'e.name as establishment',
      'f.name as from_establishment',
      'c.complexity',
      'c.recorded_at',
      'c.username as recorded_by',
    ])
    .where(eb =>
      ids.length
        ? eb.or([eb('c.prison_number', '=', prisonNumber), eb('c.prisoner_id', 'in', ids)])
        : eb('c.prison_number', '=', prisonNumber),
    )
    .orderBy('c.id')
    .execute()

  const custodySpells = await inChunks(ids, c =>
    db
      .selectFrom('custody_spells as c')
      .innerJoin('establishments as e', 'e.id', 'c.establishment_id')
      .select(['c.id', 'c.prisoner_id', 'e.name as establishment', 'c.from_date', 'c.to_date'])
      .where('c.prisoner_id', 'in', c)
      .orderBy('c.id')
      .execute(),
  )

  const allocations = await inChunks(ids, c =>
    db
      .selectFrom('allocations as a')
      .innerJoin('establishments as e', 'e.id', 'a.establishment_id')
      .innerJoin('staff as st', 'st.id', 'a.staff_id')
      .select([
        'a.id',
        'a.prisoner_id',
        'e.name as establishment',
        'st.first_name as key_worker_first_name',
        'st.last_name as key_worker_last_name',
        'a.allocated_at',
        'a.allocated_by',
        'a.allocation_reason',
        'a.deallocated_at',
        'a.deallocated_by',
        'a.deallocation_reason',
        'a.deallocation_note',
        'a.handover_note',
        'a.cover_until',
      ])
      .where('a.prisoner_id', 'in', c)
      .orderBy('a.id')
      .execute(),
  )

  const sessions = await inChunks(ids, c =>
    db
      .selectFrom('key_work_sessions as k')
      .innerJoin('establishments as e', 'e.id', 'k.establishment_id')
      .leftJoin('staff as st', 'st.id', 'k.staff_id')
      .select([
        'k.id',
        'k.prisoner_id',
        'e.name as establishment',
        'st.first_name as key_worker_first_name',
        'st.last_name as key_worker_last_name',
        'k.author',
        'k.status',
        'k.outcome',
        'k.not_delivered_reason',
        'k.not_delivered_detail',
        'k.session_date',
        'k.starts_at',
        'k.duration_minutes',
        'k.location',
        'k.interpreter_used',
        'k.interpreter_language',
        'k.pathways',
        'k.concern',
        'k.concern_escalated_to',
        'k.prisoner_words',
        'k.agreed',
        'k.created_at',
        'k.submitted_at',
        'k.deleted_at',
        'k.deleted_reason',
      ])
      .where('k.prisoner_id', 'in', c)
      .orderBy('k.id')
      .execute(),
  )
  const sessionIds = sessions.map(x => x.id)

  const amendments = await inChunks(sessionIds, c =>
    db
      .selectFrom('session_amendments')
      .select(['id', 'session_id', 'amended_at', 'amended_by', 'reason', 'changes'])
      .where('session_id', 'in', c)
      .orderBy('id')
      .execute(),
  )
  const goals = await inChunks(ids, c =>
    db
      .selectFrom('session_goals')
      .select([
        'id',
        'prisoner_id',
        'set_in_session_id',
        'description',
        'measure',
        'target_date',
        'status',
        'created_at',
        'updated_at',
      ])
      .where('prisoner_id', 'in', c)
      .orderBy('id')
      .execute(),
  )
  const goalReviews = await inChunks(
    goals.map(g => g.id),
    c =>
      db
        .selectFrom('goal_reviews')
        .select(['id', 'goal_id', 'session_id', 'status', 'note'])
        .where('goal_id', 'in', c)
        .orderBy('id')
        .execute(),
  )
  const referrals = await inChunks(ids, c =>
    db
      .selectFrom('referrals as r')
      .leftJoin('directory_services as d', 'd.id', 'r.service_id')
      .select([
        'r.id',
        'r.prisoner_id',
        'r.session_id',
        'd.name as service',
        'r.stakeholder',
        'r.note',
        'r.status',
        'r.follow_up_date',
        'r.created_at',
        'r.created_by',
        'r.updated_at',
      ])
      .where('r.prisoner_id', 'in', c)
      .orderBy('r.id')
      .execute(),
  )
  const hubBookings = await inChunks(ids, c =>
    db
      .selectFrom('hub_bookings')
      .select([
        'id',
        'prisoner_id',
        'date',
        'starts_at',
        'ends_at',
        'purpose',
        'booked_by',
        'created_at',
        'cancelled_at',
        'cancel_reason',
      ])
      .where('prisoner_id', 'in', c)
      .orderBy('id')
      .execute(),
  )
  const worksheets = await inChunks(sessionIds, c =>
    db
      .selectFrom('session_worksheets as sw')
      .innerJoin('worksheets as w', 'w.id', 'sw.worksheet_id')
      .select(['sw.session_id', 'w.title'])
      .where('sw.session_id', 'in', c)
      .orderBy('sw.session_id')
      .execute(),
  )
  const qaReviews = await inChunks(sessionIds, c =>
    db
      .selectFrom('qa_reviews')
      .select(['id', 'session_id', 'kind', 'reviewer', 'overall_score', 'feedback_good', 'feedback_change'])
      .where('session_id', 'in', c)
      .orderBy('id')
      .execute(),
  )
  const integrityFlags = await inChunks(sessionIds, c =>
    db
      .selectFrom('integrity_flags')
      .select([
        'id',
        'session_id',
        'other_session_id',
        'kind',
        'raised_at',
        'status',
        'outcome',
        'note',
        'resolved_by',
        'resolved_at',
      ])
      .where(eb => eb.or([eb('session_id', 'in', c), eb('other_session_id', 'in', c)]))
      .orderBy('id')
      .execute(),
  )
  const goodPractice = await inChunks(sessionIds, c =>
    db
      .selectFrom('good_practice')
      .select(['id', 'session_id', 'nominated_by', 'nominated_at', 'reason', 'status', 'title', 'text'])
      .where('session_id', 'in', c)
      .orderBy('id')
      .execute(),
  )

  // transfer handovers shared from one of his records (what the sending establishment chose to share), and their items
  const transferHandovers = await db
    .selectFrom('transfer_handovers as h')
    .innerJoin('establishments as f', 'f.id', 'h.sending_establishment_id')
    .innerJoin('establishments as t', 't.id', 'h.receiving_establishment_id')
    .select([
      'h.id',
      'h.prisoner_id',
      'f.name as from_establishment',
      't.name as to_establishment',
      'h.note',
      'h.key_worker',
      'h.prepared_by',
      'h.shared_at',
      'h.read_at',
      'h.withdrawn_at',
      'h.withdrawn_by',
    ])
    .where(eb =>
      ids.length
        ? eb.or([eb('h.prison_number', '=', prisonNumber), eb('h.prisoner_id', 'in', ids)])
        : eb('h.prison_number', '=', prisonNumber),
    )
    .orderBy('h.id')
    .execute()
  const transferHandoverItems = await inChunks(
    transferHandovers.map(h => h.id),
    c =>
      db
        .selectFrom('transfer_handover_items')
        .select(['id', 'handover_id', 'kind', 'text', 'detail', 'status', 'since', 'due'])
        .where('handover_id', 'in', c)
        .orderBy('handover_id')
        .orderBy('position')
        .execute(),
  )

  // what keywork sent to the MoJ case notes service about him (the note's text until it was sent), and the movement
  // events HMPPS sent keywork about him
  const caseNotesSent = await db
    .selectFrom('case_note_outbox as o')
    .innerJoin('establishments as e', 'e.id', 'o.establishment_id')
    .select([
      'o.id',
      'o.session_id',
      'e.name as establishment',
      'o.kind',
      'o.source',
      'o.status',
      'o.case_note_id',
      'o.payload',
      'o.created_at',
      'o.sent_at',
    ])
    .where('o.prison_number', '=', prisonNumber)
    .orderBy('o.id')
    .execute()
  const movementEvents = await db
    .selectFrom('hmpps_events')
    .select(['id', 'event_type', 'prison_code', 'occurred_at', 'received_at', 'outcome', 'detail'])
    .where('prison_number', '=', prisonNumber)
    .orderBy('id')
    .execute()

  // who was shown his record: a view event about him by his number, or a list page that names him among those shown
  const views = await db
    .selectFrom('audit_events as a')
    .leftJoin('establishments as e', 'e.id', 'a.establishment_id')
    .select(['a.id', 'a.at', 'a.username', 'e.name as establishment', 'a.entity as page'])
    .where('a.action', '=', 'view')
    .where(eb => eb.or([eb('a.entity_id', '=', prisonNumber), eb('a.changes', 'like', `%"${prisonNumber}"%`)]))
    .orderBy('a.id')
    .execute()

  return {
    prisonerRecords,
    custodyEvents,
    custodySpells,
    allocations,
    sessions,
    amendments,
    goals,
    goalReviews,
    referrals,
    hubBookings,
    worksheets,
    qaReviews,
    integrityFlags,
    goodPractice,
    transferHandovers,
    transferHandoverItems,
    caseNotesSent,
    movementEvents,
    views,
  }
}

export type SubjectData = Awaited<ReturnType<typeof gatherSubject>>

/** Every record of each man who has a record released on or before the cut-off and not yet anonymised. */
export async function retentionCandidates(db: Db, cutoff: string) {
  const numbers = await db
    .selectFrom('prisoners as p')
    .leftJoin('retention_anonymised as r', 'r.prisoner_id', 'p.id')
    .select('p.prison_number')
    .distinct()
    .where('p.status', '=', 'released')
    .where('p.release_date', '<=', cutoff)
    .where('r.prisoner_id', 'is', null)
    .execute()
  return inChunks(
    numbers.map(n => n.prison_number),
    c =>
      db
        .selectFrom('prisoners as p')
        .innerJoin('establishments as e', 'e.id', 'p.establishment_id')
        .select([
          'p.id',
          'p.prison_number',
          'p.status',
          'p.release_date',
          'p.establishment_id',
          'e.name as establishment',
        ])
        .where('p.prison_number', 'in', c)
        .orderBy('p.id')
        .execute(),
  )
}
