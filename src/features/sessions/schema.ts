// The entry form: what a draft keeps of a request body (entryFormOf), and the zod schema that reads that form into
// the text the domain's rules check (entrySchema). Every rule and message is in src/domain/sessionEntry.ts.
import { z } from 'zod'
import {
  AMENDABLE,
  type AmendableField,
  type AmendableValues,
  type EntryCheck,
  type EntryContext,
  type EntryForm,
  type EntryText,
  NARRATIVE_MAX,
  amendedValue,
  amendmentChanges,
  amendmentReasonError,
  checkEntry,
  rowCount,
} from '../../domain/sessionEntry'
import { parseForm } from '../../forms/forms'
import { MAX_ROWS, nextRow } from '../../forms/rows'

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
  const rows = rowCount(form, which)
  return { ...form, [which]: String(nextRow(rows) ?? rows) }
}

/** A form field as sent: one text (the first, if several were sent), trimmed; '' when absent. */
const one = z
  .unknown()
  .optional()
  .transform(v => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim())
/** A field of several values (checkboxes): every value trimmed, blanks dropped. */
const many = z
  .unknown()
  .optional()
  .transform(v =>
    (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(x => String(x).trim()).filter(x => x.length > 0),
  )

/** A review field of a goal: its id as the form writes it (no leading zeros). */
const REVIEW_FIELD = /^review(0|[1-9]\d*)(Status|Note)$/

/**
 * Gathers the flat form's date inputs and numbered fields (goal0Description, review12Status, referral1To...) into
 * the date and the rows: as many goal and referral rows as the form shows, and a review for each goal with one.
 */
function gather(input: unknown) {
  const form = (input && typeof input === 'object' ? input : {}) as EntryForm
  const reviewIds = [...new Set(Object.keys(form).flatMap(k => REVIEW_FIELD.exec(k)?.[1] ?? []))]
  return {
    ...form,
    sessionDate: { day: form['sessionDate-day'], month: form['sessionDate-month'], year: form['sessionDate-year'] },
    goals: Array.from({ length: rowCount(form, 'goalRows') }, (_, i) => ({
      description: form[`goal${i}Description`],
      measure: form[`goal${i}Measure`],
      targetDate: form[`goal${i}TargetDate`],
    })),
    referrals: Array.from({ length: rowCount(form, 'referralRows') }, (_, i) => ({
      to: form[`referral${i}To`],
      note: form[`referral${i}Note`],
      followUp: form[`referral${i}FollowUp`],
    })),
    reviews: reviewIds.map(id => ({
      goalId: Number(id),
      status: form[`review${id}Status`],
      note: form[`review${id}Note`],
    })),
  }
}

/** The entry form read into text (EntryText): nothing checked yet. */
const entryTextSchema = z.preprocess(
  gather,
  z.object({
    outcome: one,
    notDeliveredReason: one,
    notDeliveredDetail: one,
    sessionDate: z.object({ day: one, month: one, year: one }),
    startsAt: one,
    duration: one,
    location: one,
    hubBookingId: one,
    private: one,
    interpreterNeeded: one,
    interpreterUsed: one,
    interpreterService: one,
    interpreterBookingRef: one,
    interpreterLanguage: one,
    interpreterWhyNot: one,
    pathways: many,
    concern: one,
    concernEscalatedTo: one,
    prisonerWords: one,
    agreed: one,
    goals: z.array(z.object({ description: one, measure: one, targetDate: one })),
    reviews: z
      .array(z.object({ goalId: z.number(), status: one, note: one }))
      .transform(rows => new Map(rows.map(r => [r.goalId, { status: r.status, note: r.note }]))),
    referrals: z.array(z.object({ to: one, note: one, followUp: one })),
    worksheets: many,
  }) satisfies z.ZodType<EntryText>,
)

/** The form as typed, read into text and nothing checked: what "Check my entry" looks at (domain/precheck). */
export function entryTextOf(form: EntryForm): EntryText {
  return entryTextSchema.parse(form)
}

/**
 * The entry form, read and checked against the rules of an entry (the prisoner's reception, today, the open goals):
 * the entry, or issues keyed by the field they are about, in the order the form shows them.
 */
export const entrySchema = (ctx: EntryContext) =>
  entryTextSchema.transform((text, issues) => {
    const r = checkEntry(text, ctx)
    if (r.ok) return r.entry
    for (const [field, message] of Object.entries(r.errors)) issues.addIssue({ code: 'custom', path: [field], message })
    return z.NEVER
  })

/** Reads and checks a form (a draft, or a submit): the entry, or the errors by field. */
export function readEntry(form: EntryForm, ctx: EntryContext): EntryCheck {
  const r = parseForm(entrySchema(ctx), form)
  return r.ok ? { ok: true, entry: r.data } : r
}

/**
 * The amendment form, checked against the entry's current values: the changes ({ field: { from, to } }) and why.
 * Each changed value must pass the entry's own rules; a reason and at least one change are required.
 */
export const amendmentSchema = (current: AmendableValues, ctx: { today: string; receptionDate: string }) => {
  const field = (f: AmendableField) =>
    one.transform((raw, issues) => {
      const { value, error } = amendedValue(f, raw, ctx)
      if (error) issues.addIssue({ code: 'custom', message: error })
      return value
    })
  return z
    .object({
      ...(Object.fromEntries((Object.keys(AMENDABLE) as AmendableField[]).map(f => [f, field(f)])) as Record<
        AmendableField,
        ReturnType<typeof field>
      >),
      reason: one.transform((raw, issues) => {
        const error = amendmentReasonError(raw)
        if (error) issues.addIssue({ code: 'custom', message: error })
        return raw
      }),
    })
    .transform(({ reason, ...next }, issues) => {
      const changes = amendmentChanges(current, next)
      if (Object.keys(changes).length) return { changes, reason }
      issues.addIssue({
        code: 'custom',
        path: ['sessionDate'],
        message: 'Change at least one value, or go back to the entry',
      })
      return z.NEVER
    })
}

/** Reads and checks an amendment form: the changes and the reason, or the errors by field. */
export function readAmendment(
  current: AmendableValues,
  form: EntryForm,
  ctx: { today: string; receptionDate: string },
):
  | { ok: true; changes: Record<string, { from: string; to: string }>; reason: string }
  | { ok: false; errors: Record<string, string> } {
  const r = parseForm(amendmentSchema(current, ctx), form)
  return r.ok ? { ok: true, ...r.data } : r
}
