import type { EntryForm } from '../../domain/sessionEntry'
import { MAX_ROWS, NARRATIVE_MAX } from '../../domain/sessionEntry'

/** The entry form's fields; goal, review and referral rows are numbered (goal0Description, review12Status...). */
const FIELDS = new Set([
  'client_key',
  'outcome',
  'notDeliveredReason',
  'notDeliveredDetail',
  'sessionDate-day',
  'sessionDate-month',
  'sessionDate-year',
  'startsAt',
  'duration',
  'location',
  'hubBookingId',
  'private',
  'interpreterNeeded',
  'interpreterUsed',
  'interpreterService',
  'interpreterBookingRef',
  'interpreterLanguage',
  'interpreterWhyNot',
  'pathways',
  'concern',
  'concernEscalatedTo',
  'prisonerWords',
  'agreed',
  'goalRows',
  'referralRows',
  'worksheets',
])
const ROW_FIELD =
  /^(goal\d{1,2}(Description|Measure|TargetDate)|review\d{1,9}(Status|Note)|referral\d{1,2}(To|Note|FollowUp))$/
const LIST_FIELDS = new Set(['pathways', 'worksheets'])

/**
 * The entry form as typed, from a request body: only the form's own fields, text capped a little above each
 * field's limit (so a too-long value is kept and reported, not silently cut to fit), lists only where expected.
 * This is what a draft stores; the rules are in domain/sessionEntry.
 */
export function entryFormOf(body: unknown): EntryForm {
  const out: EntryForm = {}
  if (!body || typeof body !== 'object') return out
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!FIELDS.has(key) && !ROW_FIELD.test(key)) continue
    const m = /^(goal|referral)(\d+)/.exec(key)
    if (m && Number(m[2]) >= MAX_ROWS) continue
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
    const capped = values.slice(0, 50).map(v => v.slice(0, NARRATIVE_MAX + 100))
    if (LIST_FIELDS.has(key)) out[key] = capped.filter(v => v.length > 0)
    else if (capped.length) out[key] = capped[0]!
  }
  return out
}

/** The form with one more goal or referral row, for the "add another" buttons. */
export function withExtraRow(form: EntryForm, which: 'goalRows' | 'referralRows'): EntryForm {
  const n = Number(form[which])
  const rows = Number.isInteger(n) && n >= 1 ? n : 1
  return { ...form, [which]: String(Math.min(rows + 1, MAX_ROWS)) }
}
