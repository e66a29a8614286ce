import { z } from 'zod'
import { date, text } from '../../forms/fields'

/** A module assigned to an officer: which module, why, and by when. The officer and review come from the page. */
export const assignFormSchema = z.object({
  moduleCode: text('the module to assign', 60),
  reason: text('why you are assigning it', 1000),
  dueOn: date('the date it is due'),
})

export type AssignForm = z.infer<typeof assignFormSchema>

export interface AssignInput extends AssignForm {
  staffId: number
  reviewId: number | null
}
