import { formatDate } from '../../domain/dates'
import { pathwayName } from '../../domain/pathways'
import { AMENDABLE } from '../../domain/sessionEntry'
import { GOAL_STATUSES, LOCATIONS, NOT_DELIVERED_REASONS, REFERRAL_STATUSES, STAKEHOLDERS } from '../../domain/sessions'

// Pure: turns the rows of a prisoner's key work history into one list of events, newest first.

export interface SessionRow {
  id: number
  status: string
  outcome: string | null
  not_delivered_reason: string | null
  not_delivered_detail: string | null
  session_date: string | null
  starts_at: string | null
  duration_minutes: number | null
  location: string | null
  private: number | null
  interpreter_needed: number | null
  interpreter_used: number | null
  interpreter_language: string | null
  interpreter_why_not: string | null
  pathways: string
  concern: number
  concern_escalated_to: string | null
  prisoner_words: string | null
  agreed: string | null
  author: string
  on_caseload: number
  submitted_at: string | null
  deleted_at: string | null
  deleted_by: string | null
  deleted_reason: string | null
  staff_first_name: string | null
  staff_last_name: string | null
}

export interface AmendmentRow {
  session_id: number
  amended_at: string
  amended_by: string
  reason: string
  changes: string
}

export interface GoalRow {
  id: number
  description: string
  measure: string
  target_date: string | null
  status: string
  session_date: string | null
  starts_at: string | null
  author: string
}

export interface GoalReviewRow {
  id: number
  goal_id: number
  status: string
  note: string | null
  description: string
  session_date: string | null
  starts_at: string | null
  author: string
}

export interface ReferralRow {
  id: number
  service_id: string | null
  stakeholder: string | null
  service_name: string | null
  note: string | null
  status: string
  follow_up_date: string | null
  created_by: string
  session_date: string | null
  starts_at: string | null
}

export interface ReferralChangeRow {
  at: string
  username: string | null
  entity_id: string | null
  changes: string | null
}

export interface AllocationRow {
  id: number
  allocated_at: string
  allocated_by: string | null
  allocation_reason: string
  deallocated_at: string | null
  deallocated_by: string | null
  deallocation_reason: string | null
  deallocation_note: string | null
  handover_note: string | null
  cover_until: string | null
  staff_first_name: string
  staff_last_name: string
}

export type EventKind =
  | 'session'
  | 'session_deleted'
  | 'goal_set'
  | 'goal_review'
  | 'referral'
  | 'referral_change'
  | 'allocation'
  | 'deallocation'

export interface TimelineEvent {
  kind: EventKind
  /** sort key: an ISO date or timestamp */
  at: string
  /** ISO date shown */
  date: string
  title: string
  byline: string | null
  /** label and text pairs */
  details: [string, string][]
  /** notes shown under the details (amendments) */
  notes: string[]
  href: string | null
}

/** Within one moment, the session first, then what it produced (newest-first order reads top down). */
const RANK: Record<EventKind, number> = {
  deallocation: 0,
  allocation: 1,
  session: 2,
  session_deleted: 2,
  goal_set: 3,
  goal_review: 4,
  referral: 5,
  referral_change: 6,
}

const sessionAt = (r: { session_date: string | null; starts_at: string | null }, fallback = '') =>
  r.session_date ? `${r.session_date}T${r.starts_at ?? '00:00'}` : fallback

const officerOf = (
  r: { staff_first_name: string | null; staff_last_name: string | null; author: string },
  who: (u: string) => string | null,
) => (r.staff_first_name ? `${r.staff_first_name} ${r.staff_last_name}` : who(r.author))

function lookup(names: Record<string, string>, code: string | null): string {
  if (!code) return ''
  return names[code] ?? code
}

export function referralTargetName(r: { stakeholder: string | null; service_name: string | null }): string {
  if (r.stakeholder) return lookup(STAKEHOLDERS, r.stakeholder)
  return r.service_name ?? 'a service no longer in the directory'
}

function parseChanges(text: string | null): Record<string, { from: unknown; to: unknown }> {
  if (!text) return {}
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' ? (v as Record<string, { from: unknown; to: unknown }>) : {}
  } catch {
    return {}
  }
}

export function sessionOutcome(r: SessionRow): string {
  if (r.outcome === 'delivered') return 'Delivered'
  if (r.outcome === 'not_delivered') {
    const reason = lookup(NOT_DELIVERED_REASONS, r.not_delivered_reason).replace(' (say why)', '')
    return `Not delivered: ${reason || 'no reason given'}${r.not_delivered_detail ? ` (${r.not_delivered_detail})` : ''}`
  }
  return 'Not recorded'
}

/** Amendable fields as the session form names them, and the columns they stand for. */
const AMENDED_COLUMNS: Record<string, keyof SessionRow> = {
  sessionDate: 'session_date',
  startsAt: 'starts_at',
  durationMinutes: 'duration_minutes',
  location: 'location',
  private: 'private',
  concernEscalatedTo: 'concern_escalated_to',
  interpreterWhyNot: 'interpreter_why_not',
  prisonerWords: 'prisoner_words',
  agreed: 'agreed',
}

/** The entry as it reads after its amendments, applied in order (the stored row keeps the original). */
export function amended(r: SessionRow, amendments: AmendmentRow[]): SessionRow {
  const out: Record<string, unknown> = { ...r }
  for (const a of amendments) {
    for (const [field, change] of Object.entries(parseChanges(a.changes))) {
      const column = AMENDED_COLUMNS[field] ?? (field in r ? (field as keyof SessionRow) : undefined)
      if (!column) continue
      const to = change?.to ?? null
      if (column === 'duration_minutes') out[column] = to === null || to === '' ? null : Number(to)
      else if (column === 'private') out[column] = to === 'yes' || to === 1 || to === true ? 1 : to === null ? null : 0
      else out[column] = to === '' ? null : to
    }
  }
  return out as unknown as SessionRow
}

/** The label of an amended field as the amendment form shows it (a column name written by older code too). */
export function amendedFieldLabel(field: string): string {
  if (Object.hasOwn(AMENDABLE, field)) return AMENDABLE[field as keyof typeof AMENDABLE]
  const byColumn = Object.entries(AMENDED_COLUMNS).find(([, column]) => column === field)
  return byColumn ? AMENDABLE[byColumn[0] as keyof typeof AMENDABLE] : field.replaceAll('_', ' ')
}

/** Usernames are shown as the person's name; a username no longer on record is shown as it is. */
type Names = (username: string | null) => string | null

function sessionEvent(original: SessionRow, amendments: AmendmentRow[], who: Names): TimelineEvent {
  const r = amended(original, amendments)
  const details: [string, string][] = [['Outcome', sessionOutcome(r)]]
  if (r.outcome === 'delivered') {
    if (r.duration_minutes) details.push(['Duration', `${r.duration_minutes} minutes`])
    if (r.location)
      details.push(['Location', `${lookup(LOCATIONS, r.location)}${r.private ? ', in private' : ', not private'}`])
    if (r.interpreter_needed)
      details.push([
        'Interpreter',
        r.interpreter_used
          ? `Used${r.interpreter_language ? ` (${r.interpreter_language})` : ''}`
          : `Needed but not used${r.interpreter_why_not ? `: ${r.interpreter_why_not}` : ''}`,
      ])
    const pathways = r.pathways
      .split(',')
      .map(p => p.trim())
      .filter(Boolean)
      .map(pathwayName)
    if (pathways.length) details.push(['Pathways discussed', pathways.join(', ')])
    if (r.concern)
      details.push([
        'Wellbeing or self-harm concern',
        r.concern_escalated_to ? `Escalated to ${r.concern_escalated_to}` : 'Not escalated',
      ])
    if (r.prisoner_words) details.push(['In their own words', r.prisoner_words])
    if (r.agreed) details.push(['Agreed', r.agreed])
  }
  if (!r.on_caseload) details.push(['Caseload', 'Recorded as cover: the prisoner was not on this officer’s caseload'])
  return {
    kind: 'session',
    at: sessionAt(r, r.submitted_at ?? ''),
    date: r.session_date ?? r.submitted_at ?? '',
    title: r.outcome === 'not_delivered' ? 'Key work session not delivered' : 'Key work session',
    byline: officerOf(r, who),
    details,
    notes: amendments.map(a => {
      const fields = Object.keys(parseChanges(a.changes)).map(f => amendedFieldLabel(f).toLowerCase())
      return `Amended on ${formatDate(a.amended_at)} by ${who(a.amended_by)}: ${a.reason}${fields.length ? ` (changed: ${fields.join(', ')})` : ''}`
    }),
    href: `/sessions/${r.id}`,
  }
}

export interface TimelineInput {
  sessions: SessionRow[]
  amendments: AmendmentRow[]
  goals: GoalRow[]
  goalReviews: GoalReviewRow[]
  referrals: ReferralRow[]
  referralChanges: ReferralChangeRow[]
  allocations: AllocationRow[]
  /** username → the person's name, for bylines */
  names?: ReadonlyMap<string, string>
}

/** Every event of a prisoner's key work, newest first. Deleted sessions appear only if they are in the input. */
export function buildTimeline(input: TimelineInput): TimelineEvent[] {
  const events: TimelineEvent[] = []
  const who: Names = u => (u === null ? null : (input.names?.get(u) ?? u))
  const amendmentsBySession = new Map<number, AmendmentRow[]>()
  for (const a of input.amendments) {
    const list = amendmentsBySession.get(a.session_id) ?? []
    list.push(a)
    amendmentsBySession.set(a.session_id, list)
  }

  for (const s of input.sessions) {
    if (s.status === 'submitted' && !s.deleted_at) {
      events.push(sessionEvent(s, amendmentsBySession.get(s.id) ?? [], who))
    } else if (s.submitted_at) {
      events.push({
        kind: 'session_deleted',
        at: sessionAt(s, s.submitted_at),
        date: s.session_date ?? s.submitted_at,
        title: 'Key work session deleted',
        byline: officerOf(s, who),
        details: [
          ['Deleted', `Deleted by ${who(s.deleted_by) ?? 'unknown'}: ${s.deleted_reason ?? 'no reason given'}`],
        ],
        notes: [],
        href: null,
      })
    }
  }

  for (const g of input.goals) {
    const details: [string, string][] = [
      ['Goal', g.description],
      ['How it will be measured', g.measure],
    ]
    if (g.target_date) details.push(['By', formatDate(g.target_date)])
    details.push(['Status now', lookup(GOAL_STATUSES, g.status)])
    events.push({
      kind: 'goal_set',
      at: sessionAt(g),
      date: g.session_date ?? '',
      title: 'Goal set',
      byline: who(g.author),
      details,
      notes: [],
      href: null,
    })
  }

  for (const r of input.goalReviews) {
    const details: [string, string][] = [['Goal', r.description]]
    if (r.note) details.push(['Note', r.note])
    events.push({
      kind: 'goal_review',
      at: sessionAt(r),
      date: r.session_date ?? '',
      title:
        r.status === 'achieved' ? 'Goal achieved' : `Goal reviewed: ${lookup(GOAL_STATUSES, r.status).toLowerCase()}`,
      byline: who(r.author),
      details,
      notes: [],
      href: null,
    })
  }

  const referralById = new Map(input.referrals.map(r => [String(r.id), r]))
  for (const r of input.referrals) {
    const details: [string, string][] = [
      ['Referred to', referralTargetName(r)],
      ['Status now', lookup(REFERRAL_STATUSES, r.status)],
    ]
    if (r.follow_up_date) details.push(['Follow up by', formatDate(r.follow_up_date)])
    if (r.note) details.push(['Note', r.note])
    events.push({
      kind: 'referral',
      at: sessionAt(r),
      date: r.session_date ?? '',
      title: `Referred to ${referralTargetName(r)}`,
      byline: who(r.created_by),
      details,
      notes: [],
      href: `/referrals/${r.id}`,
    })
  }

  for (const c of input.referralChanges) {
    const r = c.entity_id ? referralById.get(c.entity_id) : undefined
    if (!r) continue
    const changes = parseChanges(c.changes)
    const status = changes.status
    const followUp = changes.follow_up_date
    const note = changes.follow_up_note?.to
    if (!status && !followUp && !note) continue
    const details: [string, string][] = []
    if (followUp) details.push(['Follow up by', followUp.to ? formatDate(String(followUp.to)) : 'No date'])
    if (note) details.push(['Note', String(note)])
    events.push({
      kind: 'referral_change',
      at: c.at,
      date: c.at,
      title: status
        ? `Referral to ${referralTargetName(r)}: ${lookup(REFERRAL_STATUSES, String(status.to)).toLowerCase()}`
        : followUp
          ? `Referral to ${referralTargetName(r)}: follow-up date changed`
          : `Referral to ${referralTargetName(r)}: note added`,
      byline: who(c.username),
      details,
      notes: [],
      href: `/referrals/${r.id}`,
    })
  }

  for (const a of input.allocations) {
    const name = `${a.staff_first_name} ${a.staff_last_name}`
    const how = { auto: 'Automatic allocation', imported: 'Imported from an earlier record' }[a.allocation_reason]
    const details: [string, string][] = [['How', how ?? 'By hand']]
    if (a.cover_until) details.push(['Cover until', formatDate(a.cover_until)])
    if (a.handover_note) details.push(['Handover note', a.handover_note])
    events.push({
      kind: 'allocation',
      at: a.allocated_at,
      date: a.allocated_at,
      title: `${a.cover_until ? 'Covering Key Worker' : 'Key Worker'}: ${name}`,
      byline: who(a.allocated_by),
      details,
      notes: [],
      href: null,
    })
    if (a.deallocated_at) {
      const why = (a.deallocation_reason ?? '').replaceAll('_', ' ')
      events.push({
        kind: 'deallocation',
        at: a.deallocated_at,
        date: a.deallocated_at,
        title: `Key Worker ${name} removed`,
        byline: who(a.deallocated_by),
        details: why || a.deallocation_note ? [['Why', [why, a.deallocation_note].filter(Boolean).join(': ')]] : [],
        notes: [],
        href: null,
      })
    }
  }

  return events.sort((a, b) => (a.at === b.at ? RANK[a.kind] - RANK[b.kind] : a.at < b.at ? 1 : -1))
}
