import { z } from 'zod'
import { optionalText, text } from '../../forms/fields'

/** A Supervising Officer's nomination of an entry for the national library. */
export const nominationSchema = z.object({
  session: z
    .string({ error: 'Choose the entry to nominate' })
    .trim()
    .regex(/^[1-9][0-9]{0,15}$/, 'Choose the entry to nominate')
    .transform(Number),
  reason: text('why this entry is good practice', 2000),
})

export type NominationInput = z.infer<typeof nominationSchema>

/** The national team's decision: publish (with a title and the redacted text, which it may edit) or decline (why). */
export const decisionSchema = z
  .object({
    decision: z
      .string({ error: 'Choose whether to publish or decline the entry' })
      .trim()
      .refine((v): v is 'publish' | 'decline' => v === 'publish' || v === 'decline', {
        message: 'Choose whether to publish or decline the entry',
      })
      .transform(v => v as 'publish' | 'decline'),
    title: optionalText('the title', 150),
    text: optionalText('the text', 20000),
    note: optionalText('the note', 2000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'publish' && !v.title)
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'Enter a title for the library' })
    if (v.decision === 'publish' && !v.text)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'Enter the text to publish' })
    if (v.decision === 'decline' && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Enter why the entry is declined' })
  })

export type DecisionInput = z.infer<typeof decisionSchema>
