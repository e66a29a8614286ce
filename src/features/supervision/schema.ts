import { z } from 'zod'
import { date, optionalDate, text } from '../../forms/fields'

/** A one-to-one supervision: when it was held (not in the future), what was discussed and agreed, the next date. */
export const supervisionSchema = z
  .object({
    heldOn: date('the date the supervision was held', { notFuture: true }),
    topics: text('the topics discussed', 4000),
    agreed: text('what was agreed', 4000),
    nextDueOn: optionalDate('the next supervision date'),
  })
  .superRefine((v, ctx) => {
    if (v.nextDueOn && v.nextDueOn <= v.heldOn)
      ctx.addIssue({
        code: 'custom',
        path: ['nextDueOn'],
        message: 'The next supervision date must be after the date this one was held',
      })
  })

export type SupervisionInput = z.infer<typeof supervisionSchema>
