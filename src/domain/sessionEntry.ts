import { parseTime } from './time'
import { isoFromParts, parseDate } from './dates'
import { PATHWAY_CODES, type PathwayCode, isPathwayCode } from './pathways'
import { MAX_ROWS, countedRows } from './rows'
import {
  DURATION_MAX,
  DURATION_MIN,
  LOCATIONS,
  NOT_DELIVERED_REASONS,
  type NotDeliveredReason,
  type Outcome,
  STAKEHOLDERS,
  type SessionLocation,
  type Stakeholder,
} from './sessions'

/**
 * The rules of a Key Work session entry, with no I/O: the form as typed (a flat record of text fields, kept as
 * the draft) is read into a typed entry, and every rule that needs no database is checked here. References to
 * other records (directory services, worksheets, hub bookings, goals) are checked by the service.
 */

/** The form as typed: field name → text (or several, for checkboxes). */
export type EntryForm = Record<string, string | string[]>

export const REVIEW_STATUSES = ['in_progress', 'achieved', 'dropped'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

export interface GoalInput {
  description: string
  measure: string
  targetDate: string | null
}

export interface GoalReviewInput {
  goalId: number
  status: ReviewStatus
  note: string | null
}

export interface ReferralInput {
  /** the form field the row is about, for error messages */
  field: string
  serviceId: string | null
  stakeholder: Stakeholder | null
  note: string | null
  followUpDate: string | null
}

export interface SessionEntry {
  outcome: Outcome
  notDeliveredReason: NotDeliveredReason | null
  notDeliveredDetail: string | null
  sessionDate: string
  startsAt: string | null
  durationMinutes: number | null
  location: SessionLocation | null
  hubBookingId: number | null
  private: boolean | null
  interpreterNeeded: boolean
  interpreterUsed: boolean
  interpreterService: string | null
  interpreterBookingRef: string | null
  interpreterLanguage: string | null
  interpreterWhyNot: string | null
  pathways: PathwayCode[]
  concern: boolean
  concernEscalatedTo: string | null
  prisonerWords: string | null
  agreed: string | null
  goals: GoalInput[]
  reviews: GoalReviewInput[]
  referrals: ReferralInput[]
  worksheetIds: number[]
}

export interface EntryContext {
  /** today in the establishment's time zone, 'YYYY-MM-DD' */
  today: string
  /** the prisoner's reception date */
  receptionDate: string
  /** the prisoner's open goals, the only ones a review may be about */
  openGoalIds: readonly number[]
}

export const SHORT_TEXT_MAX = 200
export const NARRATIVE_MAX = 5000
/** the most goal and referral rows one entry may have */
export { MAX_ROWS }

/** One text value of the form (the first, if several were sent), trimmed. */
export function textOf(form: EntryForm, name: string): string {
  const v = form[name]
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim()
}

/** How many goal or referral rows the form shows (at least one). */
export function rowCount(form: EntryForm, name: 'goalRows' | 'referralRows'): number {
  return countedRows(textOf(form, name))
}

/** A yes/no answer as sent by a checkbox or radio. */
export const yes = (v: string) => ['yes', 'true', '1', 'on'].includes(v.toLowerCase())
/**
 * The entry form as read (by src/features/sessions/schema.ts): every value trimmed text ('' when not given), lists
 * without blanks, the numbered rows gathered. Nothing here has been checked yet.
 */
export interface EntryText {
  outcome: string
  notDeliveredReason: string
  notDeliveredDetail: string
  sessionDate: { day: string; month: string; year: string }
  startsAt: string
  duration: string
  location: string
  hubBookingId: string
  private: string
  interpreterNeeded: string
  interpreterUsed: string
  interpreterService: string
  interpreterBookingRef: string
  interpreterLanguage: string
  interpreterWhyNot: string
  pathways: string[]
  concern: string
  concernEscalatedTo: string
  prisonerWords: string
  agreed: string
  /** the goal rows the form shows (rowCount), in order */
  goals: { description: string; measure: string; targetDate: string }[]
  /** the review fields sent, by goal id (only those of open goals are read) */
  reviews: ReadonlyMap<number, { status: string; note: string }>
  /** the referral rows the form shows (rowCount), in order */
  referrals: { to: string; note: string; followUp: string }[]
  worksheets: string[]
}

export type EntryCheck = { ok: true; entry: SessionEntry } | { ok: false; errors: Record<string, string> }

/** Errors keyed by the form field they are about, in the order found; a field keeps its first message. */
class Problems {
  readonly errors: Record<string, string> = {}
  add(field: string, message: string) {
    this.errors[field] ??= message
  }
  has(field: string) {
    return field in this.errors
  }
  /** Text up to a length, or null when blank. */
  short(field: string, value: string, label: string, max = SHORT_TEXT_MAX): string | null {
    if (value.length > max) this.add(field, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    return value || null
  }
  get count() {
    return Object.keys(this.errors).length
  }
}

/**
 * Checks every rule of an entry that needs no database, and builds the entry. Errors are keyed by the form field
 * they are about (the id the error summary links to), in the order the form shows them.
 *
 * Each outcome has its own questions: those of the branch not chosen are ignored, so the record holds none of them
 * (a reason for a delivered session, a place or privacy for one that did not happen). Until an outcome is chosen,
 * both branches are checked as typed.
 */
export function checkEntry(t: EntryText, ctx: EntryContext): EntryCheck {
  const p = new Problems()
  const outcome: Outcome | null = t.outcome === 'delivered' || t.outcome === 'not_delivered' ? t.outcome : null
  if (!outcome) p.add('outcome', 'Select whether the session was delivered')
  const delivered = outcome === 'delivered'
  const askDelivered = outcome !== 'not_delivered'
  const reason =
    outcome === 'not_delivered' ? notDelivered(t, p) : { notDeliveredReason: null, notDeliveredDetail: null }
  const when = whenAndWhere(t, ctx, p, { delivered, askDelivered })
  const interpreter = interpreterOf(t, p, { delivered, askDelivered })

  // pathways and concerns
  const pathways: PathwayCode[] = []
  for (const code of askDelivered ? t.pathways : []) {
    if (isPathwayCode(code)) {
      if (!pathways.includes(code)) pathways.push(code)
    } else p.add('pathways', 'Select pathways from the list')
  }
  pathways.sort((a, b) => PATHWAY_CODES.indexOf(a) - PATHWAY_CODES.indexOf(b))
  const concern = yes(t.concern)
  const concernEscalatedTo = concern
    ? p.short('concernEscalatedTo', t.concernEscalatedTo, 'Who it was escalated to')
    : null
  if (concern && !concernEscalatedTo)
    p.add('concernEscalatedTo', 'Say who the wellbeing or self-harm concern was escalated to')

  // narrative
  const prisonerWords = p.short('prisonerWords', t.prisonerWords, 'What the prisoner said', NARRATIVE_MAX)
  const agreed = p.short('agreed', t.agreed, 'What was agreed', NARRATIVE_MAX)

  const goals = goalRows(t, p, when.sessionDate)
  const reviews = goalReviews(t, ctx, p)
  if (outcome === 'not_delivered' && goals.length)
    p.add('goal0Description', 'Goals are set in a delivered session: remove them, or record the session as delivered')
  if (outcome === 'not_delivered' && reviews.length)
    p.add(`review${reviews[0]!.goalId}Status`, 'Goals are reviewed in a delivered session: clear the reviews')
  const referrals = referralRows(t, p, when.sessionDate)

  const worksheetIds: number[] = []
  for (const w of askDelivered ? t.worksheets : []) {
    if (/^\d{1,9}$/.test(w)) {
      if (!worksheetIds.includes(Number(w))) worksheetIds.push(Number(w))
    } else p.add('worksheets', 'Select worksheets from the list')
  }

  const errors =
    delivered &&
    !p.has('prisonerWords') &&
    !prisonerWords &&
    !agreed &&
    ![pathways, goals, reviews, referrals].some(l => l.length)
      ? withNothingWritten(p.errors)
      : p.errors
  if (Object.keys(errors).length || !outcome) return { ok: false, errors }
  return {
    ok: true,
    entry: {
      outcome,
      ...reason,
      ...when,
      ...interpreter,
      pathways,
      concern,
      concernEscalatedTo,
      prisonerWords,
      agreed,
      goals,
      reviews,
      referrals,
      worksheetIds,
    },
  }
}

/** A session not delivered: why (a reason from the list; words for "other", kept only then). */
function notDelivered(t: EntryText, p: Problems) {
  let notDeliveredReason: NotDeliveredReason | null = null
  if (Object.hasOwn(NOT_DELIVERED_REASONS, t.notDeliveredReason))
    notDeliveredReason = t.notDeliveredReason as NotDeliveredReason
  else p.add('notDeliveredReason', 'Select why the session was not delivered')
  const detail = p.short('notDeliveredDetail', t.notDeliveredDetail, 'The reason')
  if (notDeliveredReason === 'other' && !detail) p.add('notDeliveredDetail', 'Say why the session was not delivered')
  return { notDeliveredReason, notDeliveredDetail: notDeliveredReason === 'other' ? detail : null }
}

interface Branch {
  delivered: boolean
  askDelivered: boolean
}

/** When and where: the date (real, not in the future, not before reception), start, length, place, privacy. */
function whenAndWhere(t: EntryText, ctx: EntryContext, p: Problems, { delivered, askDelivered }: Branch) {
  const { day, month, year } = t.sessionDate
  const typed = !!(day || month || year)
  const iso =
    typed && /^\d+$/.test(day) && /^\d+$/.test(month) && /^\d{4}$/.test(year) ? isoFromParts(+year, +month, +day) : null
  if (!typed) p.add('sessionDate', 'Enter the date of the session')
  else if (!iso) p.add('sessionDate', 'The date of the session must be a real date, like 27 3 2026')
  else if (iso > ctx.today) p.add('sessionDate', 'The date of the session must be today or in the past')
  else if (iso < ctx.receptionDate)
    p.add('sessionDate', 'The date of the session cannot be before the prisoner arrived at this establishment')

  const startsAt = t.startsAt ? parseTime(t.startsAt) : null
  if (t.startsAt && !startsAt) p.add('startsAt', 'Enter the start time as hours and minutes, like 14:30')

  const durationText = askDelivered ? t.duration : ''
  let durationMinutes: number | null = null
  if (durationText) {
    const n = Number(durationText)
    if (!/^\d+$/.test(durationText) || n < DURATION_MIN || n > DURATION_MAX)
      p.add('duration', `The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}`)
    else durationMinutes = n
  } else if (delivered) p.add('duration', 'Enter how long the session lasted, in minutes')

  const locationText = askDelivered ? t.location : ''
  let location: SessionLocation | null = null
  if (Object.hasOwn(LOCATIONS, locationText)) location = locationText as SessionLocation
  else if (locationText || delivered) p.add('location', 'Select where the session took place')

  let hubBookingId: number | null = null
  if (t.hubBookingId && location === 'hub_room') {
    if (/^\d{1,9}$/.test(t.hubBookingId)) hubBookingId = Number(t.hubBookingId)
    else p.add('hubBookingId', 'Select a hub room booking from the list')
  }

  const privateText = askDelivered ? t.private : ''
  if (delivered && !privateText) p.add('private', 'Select whether the session was private')
  const isPrivate = privateText ? yes(privateText) : null
  return { sessionDate: iso ?? '', startsAt, durationMinutes, location, hubBookingId, private: isPrivate }
}

/** The interpreter: who and which language when one was used; why not when one was needed and not used. */
function interpreterOf(t: EntryText, p: Problems, { delivered, askDelivered }: Branch) {
  const interpreterNeeded = yes(t.interpreterNeeded)
  const interpreterUsed = askDelivered && interpreterNeeded && yes(t.interpreterUsed)
  const used = (field: 'interpreterService' | 'interpreterBookingRef' | 'interpreterLanguage', label: string) =>
    interpreterUsed ? p.short(field, t[field], label) : null
  const interpreterService = used('interpreterService', 'The interpreting service')
  const interpreterBookingRef = used('interpreterBookingRef', 'The booking reference')
  const interpreterLanguage = used('interpreterLanguage', 'The language')
  let interpreterWhyNot: string | null = null
  if (askDelivered && interpreterNeeded && !interpreterUsed) {
    interpreterWhyNot = p.short('interpreterWhyNot', t.interpreterWhyNot, 'Why no interpreter was used', 1000)
    if (delivered && !interpreterWhyNot)
      p.add('interpreterWhyNot', 'Say why no interpreter was used when the prisoner needs one')
  }
  return {
    interpreterNeeded,
    interpreterUsed,
    interpreterService,
    interpreterBookingRef,
    interpreterLanguage,
    interpreterWhyNot,
  }
}

/** New goals: a row with anything typed in it must be complete, its date on or after the session. */
function goalRows(t: EntryText, p: Problems, sessionDate: string): GoalInput[] {
  const goals: GoalInput[] = []
  t.goals.forEach((row, i) => {
    const description = p.short(`goal${i}Description`, row.description, 'The goal', 500)
    const measure = p.short(`goal${i}Measure`, row.measure, 'How it will be measured', 500)
    if (!description && !measure && !row.targetDate) return
    if (!description) p.add(`goal${i}Description`, `Goal ${i + 1}: enter what the goal is`)
    if (!measure) p.add(`goal${i}Measure`, `Goal ${i + 1}: enter how it will be measured`)
    let targetDate: string | null = null
    if (row.targetDate) {
      targetDate = parseDate(row.targetDate)
      if (!targetDate) p.add(`goal${i}TargetDate`, `Goal ${i + 1}: the date must be a real date, like 27/3/2027`)
      else if (sessionDate && targetDate < sessionDate)
        p.add(`goal${i}TargetDate`, `Goal ${i + 1}: the date must be on or after the date of the session`)
    }
    goals.push({ description: description ?? '', measure: measure ?? '', targetDate })
  })
  return goals
}

/** Reviews of open goals: only goals still open, and only those given a status. */
function goalReviews(t: EntryText, ctx: EntryContext, p: Problems): GoalReviewInput[] {
  const reviews: GoalReviewInput[] = []
  for (const goalId of ctx.openGoalIds) {
    const { status, note: noteText } = t.reviews.get(goalId) ?? { status: '', note: '' }
    const note = p.short(`review${goalId}Note`, noteText, 'The note', 1000)
    if (!status) continue
    if (!(REVIEW_STATUSES as readonly string[]).includes(status)) {
      p.add(`review${goalId}Status`, 'Select achieved, in progress or dropped')
      continue
    }
    reviews.push({ goalId, status: status as ReviewStatus, note })
  }
  return reviews
}

/** Referrals: to a directory service ("service:<id>") or a stakeholder ("stakeholder:<code>"). */
function referralRows(t: EntryText, p: Problems, sessionDate: string): ReferralInput[] {
  const referrals: ReferralInput[] = []
  t.referrals.forEach((row, i) => {
    const { to, followUp } = row
    const note = p.short(`referral${i}Note`, row.note, 'The note', 1000)
    if (!to && !note && !followUp) return
    let serviceId: string | null = null
    let stakeholder: Stakeholder | null = null
    if (to.startsWith('service:') && /^[0-9a-f-]{1,64}$/i.test(to.slice(8))) serviceId = to.slice(8)
    else if (to.startsWith('stakeholder:') && Object.hasOwn(STAKEHOLDERS, to.slice(12)))
      stakeholder = to.slice(12) as Stakeholder
    else p.add(`referral${i}To`, `Referral ${i + 1}: select a service or a team to refer to`)
    let followUpDate: string | null = null
    if (followUp) {
      followUpDate = parseDate(followUp)
      if (!followUpDate)
        p.add(`referral${i}FollowUp`, `Referral ${i + 1}: the date must be a real date, like 27/3/2027`)
      else if (sessionDate && followUpDate < sessionDate)
        p.add(
          `referral${i}FollowUp`,
          `Referral ${i + 1}: the follow-up date must be on or after the date of the session`,
        )
    }
    referrals.push({ field: `referral${i}To`, serviceId, stakeholder, note, followUpDate })
  })
  return referrals
}

/**
 * A delivered session says what happened in it: the errors with that one added, listed where the form asks it
 * (before the errors of the fields below it).
 */
function withNothingWritten(errors: Record<string, string>): Record<string, string> {
  const entries = Object.entries(errors)
  const later = entries.findIndex(([k]) => k === 'agreed' || /^(goal|review|referral)\d|^worksheets$/.test(k))
  const message =
    'Record what was discussed or agreed: what the prisoner said, what was agreed, the pathways discussed, a goal or a referral'
  entries.splice(later < 0 ? entries.length : later, 0, ['prisonerWords', message])
  return Object.fromEntries(entries)
}

/** The fields an amendment may change, with their labels, in the order the form shows them. */
export const AMENDABLE = {
  sessionDate: 'Date of the session',
  startsAt: 'Start time',
  durationMinutes: 'Duration (minutes)',
  location: 'Location',
  private: 'Private',
  concernEscalatedTo: 'Concern escalated to',
  interpreterWhyNot: 'Why no interpreter was used',
  prisonerWords: 'What the prisoner said',
  agreed: 'What was agreed',
} as const
export type AmendableField = keyof typeof AMENDABLE
export type AmendableValues = Record<AmendableField, string>

/**
 * An amended value checked by the entry's own rules: the value as stored (a date or a time written the usual way)
 * and the error, if any. Blank clears a field, except the date of the session.
 */
export function amendedValue(
  field: AmendableField,
  raw: string,
  ctx: { today: string; receptionDate: string },
): { value: string; error: string | null } {
  if (field === 'sessionDate') {
    const iso = parseDate(raw)
    const error = !iso
      ? 'The date of the session must be a real date, like 27/3/2026'
      : iso > ctx.today
        ? 'The date of the session must be today or in the past'
        : iso < ctx.receptionDate
          ? 'The date of the session cannot be before the prisoner arrived at this establishment'
          : null
    return { value: iso ?? raw, error }
  }
  if (field === 'startsAt' && raw) {
    const t = parseTime(raw)
    return { value: t ?? raw, error: t ? null : 'Enter the start time as hours and minutes, like 14:30' }
  }
  if (field === 'durationMinutes' && raw) {
    const n = Number(raw)
    const bad = !/^\d+$/.test(raw) || n < DURATION_MIN || n > DURATION_MAX
    return {
      value: raw,
      error: bad ? `The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}` : null,
    }
  }
  if (field === 'location' && raw && !Object.hasOwn(LOCATIONS, raw))
    return { value: raw, error: 'Select where the session took place' }
  if (field === 'private' && raw && raw !== 'yes' && raw !== 'no') return { value: raw, error: 'Select yes or no' }
  const max = field === 'prisonerWords' || field === 'agreed' ? NARRATIVE_MAX : SHORT_TEXT_MAX
  return { value: raw, error: raw.length > max ? `${AMENDABLE[field]} is too long` : null }
}

/** Why an entry is amended: required, up to 1,000 characters. */
export function amendmentReasonError(reason: string): string | null {
  if (!reason) return 'Enter why the entry is being amended'
  return reason.length > 1000 ? 'The reason must be 1,000 characters or fewer' : null
}

/** The fields whose value differs from the entry's current one, in the order the form shows them. */
export function amendmentChanges(
  current: AmendableValues,
  next: AmendableValues,
): Record<string, { from: string; to: string }> {
  const changes: Record<string, { from: string; to: string }> = {}
  for (const field of Object.keys(AMENDABLE) as AmendableField[])
    if (next[field] !== current[field]) changes[field] = { from: current[field], to: next[field] }
  return changes
}
