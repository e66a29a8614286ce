import { isoFromParts, parseDate } from './dates'
import { PATHWAY_CODES, type PathwayCode, isPathwayCode } from './pathways'
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
export const MAX_ROWS = 20

/** One text value of the form (the first, if several were sent), trimmed. */
export function textOf(form: EntryForm, name: string): string {
  const v = form[name]
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim()
}

/** Every value of a field (checkboxes), trimmed and without blanks. */
export function listOf(form: EntryForm, name: string): string[] {
  const v = form[name]
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v]
  return all.map(x => x.trim()).filter(x => x.length > 0)
}

/** How many goal or referral rows the form shows (at least one). */
export function rowCount(form: EntryForm, name: 'goalRows' | 'referralRows'): number {
  const n = Number(textOf(form, name))
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_ROWS) : 1
}

const yes = (v: string) => ['yes', 'true', '1', 'on'].includes(v.toLowerCase())
const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/

/** The session date from the three GOV.UK date input fields, or null when none was typed. */
export function sessionDateOf(form: EntryForm): { iso: string | null; typed: boolean } {
  const d = textOf(form, 'sessionDate-day')
  const m = textOf(form, 'sessionDate-month')
  const y = textOf(form, 'sessionDate-year')
  if (!d && !m && !y) return { iso: null, typed: false }
  const iso = /^\d+$/.test(d) && /^\d+$/.test(m) && /^\d{4}$/.test(y) ? isoFromParts(+y, +m, +d) : null
  return { iso, typed: true }
}

/** 'HH:MM' from '9:30', '09.30' or '0930'; null if it is not a time of day. */
export function parseTime(v: string): string | null {
  const s = v.trim()
  const m = TIME.exec(s) ?? /^([01]\d|2[0-3])([0-5]\d)$/.exec(s)
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null
}

/**
 * Reads the form into an entry and checks every rule that needs no database. Errors are keyed by the form
 * field they are about (the id the error summary links to), in the order the form shows them.
 */
export function readEntry(
  form: EntryForm,
  ctx: EntryContext,
): { ok: true; entry: SessionEntry } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const err = (field: string, message: string) => {
    errors[field] ??= message
  }
  const short = (name: string, label: string, max = SHORT_TEXT_MAX): string | null => {
    const v = textOf(form, name)
    if (v.length > max) err(name, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    return v || null
  }

  // outcome and reason
  const outcomeText = textOf(form, 'outcome')
  const outcome: Outcome | null = outcomeText === 'delivered' || outcomeText === 'not_delivered' ? outcomeText : null
  if (!outcome) err('outcome', 'Select whether the session was delivered')
  const delivered = outcome === 'delivered'
  // Each outcome has its own questions: those of the branch not chosen are ignored, so the record holds none of
  // them (a reason for a delivered session, a place or privacy for one that did not happen). Until an outcome is
  // chosen, both branches are checked as typed.
  const askDelivered = outcome !== 'not_delivered'
  let notDeliveredReason: NotDeliveredReason | null = null
  let notDeliveredDetail: string | null = null
  if (outcome === 'not_delivered') {
    const r = textOf(form, 'notDeliveredReason')
    if (r in NOT_DELIVERED_REASONS) notDeliveredReason = r as NotDeliveredReason
    else err('notDeliveredReason', 'Select why the session was not delivered')
    notDeliveredDetail = short('notDeliveredDetail', 'The reason')
    if (notDeliveredReason === 'other' && !notDeliveredDetail)
      err('notDeliveredDetail', 'Say why the session was not delivered')
    if (notDeliveredReason !== 'other') notDeliveredDetail = null
  }

  // when and where
  const date = sessionDateOf(form)
  if (!date.typed) err('sessionDate', 'Enter the date of the session')
  else if (!date.iso) err('sessionDate', 'The date of the session must be a real date, like 27 3 2026')
  else if (date.iso > ctx.today) err('sessionDate', 'The date of the session must be today or in the past')
  else if (date.iso < ctx.receptionDate)
    err('sessionDate', 'The date of the session cannot be before the prisoner arrived at this establishment')
  const sessionDate = date.iso ?? ''

  const startsText = textOf(form, 'startsAt')
  const startsAt = startsText ? parseTime(startsText) : null
  if (startsText && !startsAt) err('startsAt', 'Enter the start time as hours and minutes, like 14:30')

  const durationText = askDelivered ? textOf(form, 'duration') : ''
  let durationMinutes: number | null = null
  if (durationText) {
    const n = Number(durationText)
    if (!/^\d+$/.test(durationText) || n < DURATION_MIN || n > DURATION_MAX)
      err('duration', `The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}`)
    else durationMinutes = n
  } else if (delivered) err('duration', 'Enter how long the session lasted, in minutes')

  const locationText = askDelivered ? textOf(form, 'location') : ''
  let location: SessionLocation | null = null
  if (locationText in LOCATIONS) location = locationText as SessionLocation
  else if (locationText || delivered) err('location', 'Select where the session took place')

  const bookingText = textOf(form, 'hubBookingId')
  let hubBookingId: number | null = null
  if (bookingText && location === 'hub_room') {
    if (/^\d{1,9}$/.test(bookingText)) hubBookingId = Number(bookingText)
    else err('hubBookingId', 'Select a hub room booking from the list')
  }

  const privateText = askDelivered ? textOf(form, 'private') : ''
  const isPrivate = privateText ? yes(privateText) : null
  if (delivered && !privateText) err('private', 'Select whether the session was private')

  // interpreter
  const interpreterNeeded = yes(textOf(form, 'interpreterNeeded'))
  const interpreterUsed = askDelivered && interpreterNeeded && yes(textOf(form, 'interpreterUsed'))
  const interpreterService = interpreterUsed ? short('interpreterService', 'The interpreting service') : null
  const interpreterBookingRef = interpreterUsed ? short('interpreterBookingRef', 'The booking reference') : null
  const interpreterLanguage = interpreterUsed ? short('interpreterLanguage', 'The language') : null
  let interpreterWhyNot: string | null = null
  if (askDelivered && interpreterNeeded && !interpreterUsed) {
    interpreterWhyNot = short('interpreterWhyNot', 'Why no interpreter was used', 1000)
    if (delivered && !interpreterWhyNot)
      err('interpreterWhyNot', 'Say why no interpreter was used when the prisoner needs one')
  }

  // pathways and concerns
  const pathways: PathwayCode[] = []
  for (const p of askDelivered ? listOf(form, 'pathways') : []) {
    if (isPathwayCode(p)) {
      if (!pathways.includes(p)) pathways.push(p)
    } else err('pathways', 'Select pathways from the list')
  }
  pathways.sort((a, b) => PATHWAY_CODES.indexOf(a) - PATHWAY_CODES.indexOf(b))
  const concern = yes(textOf(form, 'concern'))
  const concernEscalatedTo = concern ? short('concernEscalatedTo', 'Who it was escalated to') : null
  if (concern && !concernEscalatedTo)
    err('concernEscalatedTo', 'Say who the wellbeing or self-harm concern was escalated to')

  // narrative
  const prisonerWords = short('prisonerWords', 'What the prisoner said', NARRATIVE_MAX)
  const agreed = short('agreed', 'What was agreed', NARRATIVE_MAX)

  // new goals: a row with anything typed in it must be complete
  const goals: GoalInput[] = []
  for (let i = 0; i < rowCount(form, 'goalRows'); i++) {
    const description = short(`goal${i}Description`, 'The goal', 500)
    const measure = short(`goal${i}Measure`, 'How it will be measured', 500)
    const targetText = textOf(form, `goal${i}TargetDate`)
    if (!description && !measure && !targetText) continue
    if (!description) err(`goal${i}Description`, `Goal ${i + 1}: enter what the goal is`)
    if (!measure) err(`goal${i}Measure`, `Goal ${i + 1}: enter how it will be measured`)
    let targetDate: string | null = null
    if (targetText) {
      targetDate = parseDate(targetText)
      if (!targetDate) err(`goal${i}TargetDate`, `Goal ${i + 1}: the date must be a real date, like 27/3/2027`)
      else if (sessionDate && targetDate < sessionDate)
        err(`goal${i}TargetDate`, `Goal ${i + 1}: the date must be on or after the date of the session`)
    }
    goals.push({ description: description ?? '', measure: measure ?? '', targetDate })
  }

  // reviews of open goals: only goals still open, and only those given a status
  const reviews: GoalReviewInput[] = []
  for (const goalId of ctx.openGoalIds) {
    const status = textOf(form, `review${goalId}Status`)
    const note = short(`review${goalId}Note`, 'The note', 1000)
    if (!status) continue
    if (!(REVIEW_STATUSES as readonly string[]).includes(status)) {
      err(`review${goalId}Status`, 'Select achieved, in progress or dropped')
      continue
    }
    reviews.push({ goalId, status: status as ReviewStatus, note })
  }
  if (outcome === 'not_delivered' && goals.length)
    err('goal0Description', 'Goals are set in a delivered session: remove them, or record the session as delivered')
  if (outcome === 'not_delivered' && reviews.length)
    err(`review${reviews[0]!.goalId}Status`, 'Goals are reviewed in a delivered session: clear the reviews')

  // referrals: to a directory service ("service:<id>") or a stakeholder ("stakeholder:<code>")
  const referrals: ReferralInput[] = []
  for (let i = 0; i < rowCount(form, 'referralRows'); i++) {
    const to = textOf(form, `referral${i}To`)
    const note = short(`referral${i}Note`, 'The note', 1000)
    const followText = textOf(form, `referral${i}FollowUp`)
    if (!to && !note && !followText) continue
    let serviceId: string | null = null
    let stakeholder: Stakeholder | null = null
    if (to.startsWith('service:') && /^[0-9a-f-]{1,64}$/i.test(to.slice(8))) serviceId = to.slice(8)
    else if (to.startsWith('stakeholder:') && to.slice(12) in STAKEHOLDERS) stakeholder = to.slice(12) as Stakeholder
    else err(`referral${i}To`, `Referral ${i + 1}: select a service or a team to refer to`)
    let followUpDate: string | null = null
    if (followText) {
      followUpDate = parseDate(followText)
      if (!followUpDate) err(`referral${i}FollowUp`, `Referral ${i + 1}: the date must be a real date, like 27/3/2027`)
      else if (sessionDate && followUpDate < sessionDate)
        err(`referral${i}FollowUp`, `Referral ${i + 1}: the follow-up date must be on or after the date of the session`)
    }
    referrals.push({ field: `referral${i}To`, serviceId, stakeholder, note, followUpDate })
  }

  const worksheetIds: number[] = []
  for (const w of askDelivered ? listOf(form, 'worksheets') : []) {
    if (/^\d{1,9}$/.test(w)) {
      if (!worksheetIds.includes(Number(w))) worksheetIds.push(Number(w))
    } else err('worksheets', 'Select worksheets from the list')
  }

  // a delivered session says what happened in it
  if (
    delivered &&
    !errors.prisonerWords &&
    !prisonerWords &&
    !agreed &&
    !pathways.length &&
    !goals.length &&
    !reviews.length &&
    !referrals.length
  ) {
    // listed where the form asks it, before the errors of the fields below it
    const later = Object.keys(errors).findIndex(k => k === 'agreed' || /^(goal|review|referral)\d|^worksheets$/.test(k))
    const entries = Object.entries(errors)
    const message =
      'Record what was discussed or agreed: what the prisoner said, what was agreed, the pathways discussed, a goal or a referral'
    entries.splice(later < 0 ? entries.length : later, 0, ['prisonerWords', message])
    for (const k of Object.keys(errors)) delete errors[k]
    Object.assign(errors, Object.fromEntries(entries))
  }

  if (Object.keys(errors).length || !outcome) return { ok: false, errors }
  return {
    ok: true,
    entry: {
      outcome,
      notDeliveredReason,
      notDeliveredDetail,
      sessionDate,
      startsAt,
      durationMinutes,
      location,
      hubBookingId,
      private: isPrivate,
      interpreterNeeded,
      interpreterUsed,
      interpreterService,
      interpreterBookingRef,
      interpreterLanguage,
      interpreterWhyNot,
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
 * Compares the amendment form with the entry's current values: the changes ({ field: { from, to } }) and any
 * errors. A reason and at least one change are required; a changed value must pass the entry's own rules.
 */
export function readAmendment(
  current: AmendableValues,
  form: EntryForm,
  ctx: { today: string; receptionDate: string },
):
  | { ok: true; changes: Record<string, { from: string; to: string }>; reason: string }
  | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const next: Record<string, string> = {}
  for (const field of Object.keys(AMENDABLE) as AmendableField[]) {
    const raw = textOf(form, field)
    let v = raw
    if (field === 'sessionDate') {
      const iso = parseDate(raw)
      if (!iso) errors[field] = 'The date of the session must be a real date, like 27/3/2026'
      else if (iso > ctx.today) errors[field] = 'The date of the session must be today or in the past'
      else if (iso < ctx.receptionDate)
        errors[field] = 'The date of the session cannot be before the prisoner arrived at this establishment'
      v = iso ?? raw
    } else if (field === 'startsAt' && raw) {
      const t = parseTime(raw)
      if (!t) errors[field] = 'Enter the start time as hours and minutes, like 14:30'
      v = t ?? raw
    } else if (field === 'durationMinutes' && raw) {
      const n = Number(raw)
      if (!/^\d+$/.test(raw) || n < DURATION_MIN || n > DURATION_MAX)
        errors[field] = `The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}`
    } else if (field === 'location' && raw && !(raw in LOCATIONS)) errors[field] = 'Select where the session took place'
    else if (field === 'private' && raw && raw !== 'yes' && raw !== 'no') errors[field] = 'Select yes or no'
    else if (raw.length > (field === 'prisonerWords' || field === 'agreed' ? NARRATIVE_MAX : SHORT_TEXT_MAX))
      errors[field] = `${AMENDABLE[field]} is too long`
    next[field] = v
  }
  const reason = textOf(form, 'reason')
  if (!reason) errors.reason = 'Enter why the entry is being amended'
  else if (reason.length > 1000) errors.reason = 'The reason must be 1,000 characters or fewer'
  const changes: Record<string, { from: string; to: string }> = {}
  for (const field of Object.keys(AMENDABLE) as AmendableField[])
    if (next[field] !== current[field]) changes[field] = { from: current[field], to: next[field]! }
  if (!Object.keys(errors).length && !Object.keys(changes).length)
    errors.sessionDate = 'Change at least one value, or go back to the entry'
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, changes, reason }
}
