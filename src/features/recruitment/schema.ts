import { z } from 'zod'
import { date, oneOf, optionalText, text } from '../../forms/fields'
import { MIN_THRESHOLD } from '../../domain/disclosure'
import { DEFAULT_SCALE_MAX, RETENTION_MAX, RETENTION_MIN } from '../../domain/recruitment'

/** A whole number from min to max, typed in a text field. */
const whole = (label: string, min: number, max: number, example: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .refine(v => /^\d{1,5}$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a whole number from ${min} to ${max}, like ${example}`,
    })
    .transform(Number)

/** A user id chosen from a list (empty: none chosen). */
const userChoice = (label: string, required: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        if (required) ctx.addIssue({ code: 'custom', message: `Choose ${label}` })
        return required ? z.NEVER : null
      }
      if (!/^[1-9][0-9]{0,15}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `Choose ${label} from the list` })
        return z.NEVER
      }
      return Number(v)
    })

export const SCOPES = ['national', 'establishment', 'region'] as const

export const campaignSchema = z
  .object({
    title: text('a title', 120),
    opensOn: date('the date the campaign opens'),
    closesOn: date('the date the campaign closes'),
    scope: oneOf('who the campaign recruits for', SCOPES),
    establishment: optionalText('the establishment', 10),
    region: optionalText('the region', 60),
    moderationGap: whole('the moderation gap', 0, DEFAULT_SCALE_MAX - 2, 1),
    retentionDays: whole('the retention period', RETENTION_MIN, RETENTION_MAX, 180),
    passMark: z
      .string({ error: 'Enter the pass mark' })
      .trim()
      .min(1, 'Enter the pass mark')
      .refine(v => /^\d(\.\d{1,2})?$/.test(v) && Number(v) >= 1 && Number(v) <= DEFAULT_SCALE_MAX, {
        message: `The pass mark must be a number from 1 to ${DEFAULT_SCALE_MAX}, like 2.5`,
      })
      .transform(Number),
    assessorA: userChoice('the first assessor', false),
    assessorB: userChoice('the second assessor', false),
    moderator: userChoice('the moderator', false),
  })
  .superRefine((v, ctx) => {
    if (v.opensOn && v.closesOn && v.closesOn < v.opensOn)
      ctx.addIssue({
        code: 'custom',
        path: ['closesOn'],
        message: 'The closing date must be on or after the opening date',
      })
    if (v.scope === 'establishment' && !v.establishment)
      ctx.addIssue({ code: 'custom', path: ['establishment'], message: 'Choose the establishment' })
    if (v.scope === 'region' && !v.region)
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'Choose the region' })
  })
export type CampaignInput = z.infer<typeof campaignSchema>

export const candidateSchema = z.object({
  name: text('the candidate’s name', 120),
  email: z
    .string({ error: 'Enter the candidate’s email address' })
    .trim()
    .min(1, 'Enter the candidate’s email address')
    .max(200, 'The email address must be 200 characters or fewer')
    .refine(v => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), {
      message: 'Enter an email address in the correct format, like name@example.com',
    }),
  establishment: optionalText('the establishment applied for', 10),
  assessorA: userChoice('the first assessor', true),
  assessorB: userChoice('the second assessor', true),
  moderator: userChoice('the moderator', true),
})
export type CandidateInput = z.infer<typeof candidateSchema>

export const assignmentSchema = candidateSchema
  .pick({ assessorA: true, assessorB: true, moderator: true })
  .extend({ reason: text('the reason for the change', 300) })
export type AssignmentInput = z.infer<typeof assignmentSchema>

export const settingsSchema = z.object({
  retentionDays: whole('the retention period', RETENTION_MIN, RETENTION_MAX, 180),
  minGroup: whole('the smallest group shown', MIN_THRESHOLD, 100, 10),
})
export type SettingsInput = z.infer<typeof settingsSchema>

export const moderationSchema = z.object({
  candidate: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]{0,15}$/, 'Choose a candidate')
    .transform(Number),
  question: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]{0,15}$/, 'Choose a question')
    .transform(Number),
  score: z
    .string({ error: 'Choose the final score' })
    .trim()
    .regex(/^[0-9]{1,2}$/, 'Choose the final score')
    .transform(Number),
  reason: text('the reason for the final score', 1000),
})
export type ModerationInput = z.infer<typeof moderationSchema>
