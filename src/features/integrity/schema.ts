import { z } from 'zod'
import { FLAG_OUTCOMES, type FlagOutcome } from '../../domain/integrity'
import { text } from '../../forms/fields'

const OUTCOMES = Object.keys(FLAG_OUTCOMES) as FlagOutcome[]

/** Resolving a flag: the outcome (one of the four) and a note, both required; every problem listed at once. */
export const resolveFlagSchema = z.object({
  outcome: z
    .string({ error: 'Select the outcome of your look at this flag' })
    .trim()
    .refine((v): v is FlagOutcome => (OUTCOMES as string[]).includes(v), {
      message: 'Select the outcome of your look at this flag',
    })
    .transform(v => v as FlagOutcome),
  note: text('a note of what you found and did', 2000),
})

export type ResolveFlag = z.infer<typeof resolveFlagSchema>
