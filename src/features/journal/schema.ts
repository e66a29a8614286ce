import { z } from 'zod'
import { date, text } from '../../forms/fields'
import { GIBBS_STAGES, type GibbsStage, MAX_MINUTES, STAGE_MAX, TITLE_MAX } from '../../domain/reflection'

/** Minutes spent reflecting, a whole number from 0 to 600 (they count towards the officer's CPD hours). */
const minutes = z
  .string({ error: 'Enter the time you spent, in minutes' })
  .trim()
  .min(1, 'Enter the time you spent, in minutes')
  .refine(v => /^\d{1,4}$/.test(v) && Number(v) <= MAX_MINUTES, {
    message: `The time you spent must be a whole number of minutes from 0 to ${MAX_MINUTES}, like 45`,
  })
  .transform(Number)

const common = {
  title: text('a title', TITLE_MAX),
  writtenOn: date('the date of the reflection', { notFuture: true }),
  minutes,
}

const stageLabel: Record<GibbsStage, string> = {
  description: 'what happened (description)',
  feelings: 'what you were thinking and feeling (feelings)',
  evaluation: 'what was good and bad (evaluation)',
  analysis: 'what sense you make of it (analysis)',
  conclusion: 'what you learned (conclusion)',
  actionPlan: 'what you will do next (action plan)',
}

/** A reflection through the six stages of Gibbs' cycle: each stage is asked for. */
export const gibbsSchema = z.object({
  ...common,
  ...(Object.fromEntries(GIBBS_STAGES.map(s => [s.key, text(stageLabel[s.key], STAGE_MAX)])) as Record<
    GibbsStage,
    ReturnType<typeof text>
  >),
})

/** A short reflection: one text. */
export const shortSchema = z.object({ ...common, text: text('your reflection', STAGE_MAX) })

export type GibbsInput = z.infer<typeof gibbsSchema>
export type ShortInput = z.infer<typeof shortSchema>
export type JournalInput = ({ form: 'gibbs' } & GibbsInput) | ({ form: 'short' } & ShortInput)
