import { z } from 'zod'
import { optionalText, text } from '../../forms/fields'
import { type Parsed, parseForm } from '../../forms/forms'
import { isPathwayCode } from '../../domain/pathways'
import { type MeasureCode, type Periods, checkPeriods, isMeasureCode } from '../../domain/practiceExchange'

/** Checkboxes arrive as nothing, one value or several. */
const codes = (label: string, valid: (code: string) => boolean, required: boolean) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v, ctx) => {
      const list = [...new Set((Array.isArray(v) ? v : v ? [v] : []).map(x => x.trim()).filter(Boolean))]
      if (list.some(x => !valid(x))) {
        ctx.addIssue({ code: 'custom', message: `Choose ${label} from the list` })
        return z.NEVER
      }
      if (required && list.length === 0) {
        ctx.addIssue({ code: 'custom', message: `Choose at least one of ${label}` })
        return z.NEVER
      }
      return list
    })

/** What a Supervising Officer writes about their good practice (the periods are checked with it: see below). */
export const submissionTextSchema = z.object({
  title: text('a title', 150),
  whatTheyDid: text('what you did', 5000),
  whatChanged: text('what changed', 5000),
  evidence: optionalText('the other evidence', 3000),
  pathways: codes('the pathways', isPathwayCode, false),
  measures: codes('the figures to show', isMeasureCode, true),
})

export type SubmissionInput = Omit<z.infer<typeof submissionTextSchema>, 'measures'> & {
  measures: MeasureCode[]
} & Periods

/** The whole submission form, every problem at once: the text and the two periods (before `currentMonth`). */
export function parseSubmission(body: unknown, currentMonth: string): Parsed<SubmissionInput> {
  const text = parseForm(submissionTextSchema, body)
  const periods = checkPeriods((body ?? {}) as Record<string, unknown>, currentMonth)
  if (!text.ok || !periods.ok)
    return { ok: false, errors: { ...(text.ok ? {} : text.errors), ...(periods.ok ? {} : periods.errors) } }
  return { ok: true, data: { ...text.data, measures: text.data.measures as MeasureCode[], ...periods.value } }
}

/** The national team's review: publish, or return with a note saying what to change. */
export const reviewSchema = z
  .object({
    decision: z
      .string({ error: 'Choose whether to publish or return the submission' })
      .trim()
      .refine((v): v is 'publish' | 'return' => v === 'publish' || v === 'return', {
        message: 'Choose whether to publish or return the submission',
      })
      .transform(v => v as 'publish' | 'return'),
    note: optionalText('the note', 2000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'return' && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Enter what the Supervising Officer should change' })
  })

export type ReviewInput = z.infer<typeof reviewSchema>

export const questionSchema = z.object({
  title: text('your question', 200),
  detail: text('the detail of your question', 5000),
})

export type QuestionInput = z.infer<typeof questionSchema>

export const answerSchema = z.object({ answer: text('the answer', 10000) })
