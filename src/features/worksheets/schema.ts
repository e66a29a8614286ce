import { z } from 'zod'
import { MARKDOWN_MAX } from '../../domain/markdown'
import { PATHWAY_CODES } from '../../domain/pathways'

export const SHEET_MAX = 20_000
export const GUIDANCE_MAX = 10_000

/** Markdown typed in a textarea: required, and no longer than max characters. */
export const markdownField = (label: string, max = MARKDOWN_MAX) =>
  z
    .string({ error: `Enter ${label}` })
    .transform(v => v.replace(/\r\n/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, `Enter ${label}`)
        .max(
          max,
          `${label.charAt(0).toUpperCase()}${label.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
        ),
    )

const pathway = z
  .string({ error: 'Select a pathway' })
  .trim()
  .refine(v => (PATHWAY_CODES as readonly string[]).includes(v), 'Select a pathway')

export const worksheetSchema = z.object({
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(1, 'Enter a title')
    .max(120, 'Title must be 120 characters or fewer'),
  pathway,
  purpose: z
    .string({ error: 'Enter the purpose' })
    .trim()
    .min(1, 'Enter the purpose')
    .max(400, 'Purpose must be 400 characters or fewer'),
  guidance: markdownField('guidance for the Key Worker', GUIDANCE_MAX),
  sheet: markdownField('the sheet', SHEET_MAX),
})

export type WorksheetRecord = z.infer<typeof worksheetSchema>
