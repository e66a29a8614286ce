import { z } from 'zod'
import { MARKDOWN_MAX } from '../../domain/markdown'
import { text } from '../../forms/fields'
import { markdownField } from '../worksheets/schema'

export const INTRODUCTION_MAX = 8_000

/** Which button sent the form: save (publish) or preview. */
const action = z
  .string()
  .optional()
  .transform(v => (v === 'preview' ? 'preview' : 'save'))

export const publishSchema = z.object({
  body: markdownField('the guide', MARKDOWN_MAX),
  summary: text('a summary of what changed', 500),
  action,
})

export const introductionSchema = z.object({
  body: markdownField('the introduction', INTRODUCTION_MAX),
  action,
})
