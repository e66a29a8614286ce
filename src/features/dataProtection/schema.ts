import { z } from 'zod'
import { PRISON_NUMBER } from '../../domain/prisoner'
import { RETENTION_MAX_YEARS, RETENTION_MIN_YEARS } from '../../domain/retention'

/** The subject access request form: whose data. */
export const sarSchema = z.object({
  prisonNumber: z
    .string({ error: 'Enter a prison number' })
    .trim()
    .toUpperCase()
    .min(1, 'Enter a prison number')
    .regex(PRISON_NUMBER, 'Enter a prison number in the format A1234BC'),
})

/** The national retention rule: years after a man's last release. */
export const retentionSchema = z.object({
  years: z
    .string({ error: 'Enter the number of years' })
    .trim()
    .min(1, 'Enter the number of years')
    .refine(v => /^\d{1,3}$/.test(v) && Number(v) >= RETENTION_MIN_YEARS && Number(v) <= RETENTION_MAX_YEARS, {
      message: `The number of years must be a whole number from ${RETENTION_MIN_YEARS} to ${RETENTION_MAX_YEARS}, like 6`,
    })
    .transform(Number),
})
export type RetentionInput = z.infer<typeof retentionSchema>
